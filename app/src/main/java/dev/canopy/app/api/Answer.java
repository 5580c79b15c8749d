package dev.canopy.app.api;

import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.StopReason;

/**
 * A finished generation as the APIs report it.
 *
 * @param text             the answer
 * @param stop             why it ended
 * @param promptTokens     tokens of the prompt
 * @param cachedTokens     of those, tokens whose KV was reused (not prefilled)
 * @param completionTokens new tokens
 */
record Answer(String text, StopReason stop, int promptTokens, int cachedTokens, int completionTokens) {
    static Answer of(GenerationResult r) {
        int prompt = r.stats().promptTokens();
        return new Answer(r.text(), r.stopReason(), prompt, Math.max(0, prompt - r.stats().prefilledTokens()),
                r.tokens().length);
    }

    /** OpenAI's finish_reason: length when the token limit or the context cut it, else stop. */
    String finishReason() {
        return stop == StopReason.MAX_TOKENS || stop == StopReason.CONTEXT_FULL ? "length" : "stop";
    }

    /** Anthropic's stop_reason. */
    String anthropicStopReason() {
        return switch (stop) {
            case MAX_TOKENS, CONTEXT_FULL -> "max_tokens";
            case STOP_STRING -> "stop_sequence";
            case END_OF_TEXT, CANCELLED -> "end_turn";
        };
    }
}
