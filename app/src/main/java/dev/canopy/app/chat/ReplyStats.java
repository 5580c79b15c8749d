package dev.canopy.app.chat;

import dev.canopy.memory.fact.FactId;
import java.util.List;
import java.util.Optional;

/**
 * How an answer was produced, shown under it.
 *
 * @param promptTokens      tokens of the whole prompt
 * @param generatedTokens   new tokens
 * @param tokensPerSecond   decode speed
 * @param firstTokenMillis  time to first token
 * @param contextUsed       tokens in the context window after the answer
 * @param contextSize       the context window
 * @param stopReason        END_OF_TEXT, MAX_TOKENS, CANCELLED, CONTEXT_FULL, STOP_STRING
 * @param memoriesUsed      facts recalled for the answer (their text, as the prompt held them)
 * @param computedTokens    prompt tokens computed for this answer; the rest came from the saved KV
 * @param prefillTokensPerSecond speed of computing them; 0 when not recorded (an answer stored
 *                          before these figures were kept), and then {@code computedTokens} means nothing
 * @param memoryIds         ids of the facts in {@code memoriesUsed}, in the same order, in their text form
 *                          (the message's stored JSON holds them so): read them with {@link #memoryId}
 * @param draftedTokens     tokens speculative decoding proposed ("Faster answers"; 0 without it)
 * @param acceptedTokens    of those, the tokens the model confirmed
 * @param speculationNote   why speculative decoding was asked for but did not run ("" when it ran or was off)
 */
public record ReplyStats(int promptTokens, int generatedTokens, double tokensPerSecond, double firstTokenMillis,
                         int contextUsed, int contextSize, String stopReason, List<String> memoriesUsed,
                         int computedTokens, double prefillTokensPerSecond, List<String> memoryIds,
                         int draftedTokens, int acceptedTokens, String speculationNote) {
    public ReplyStats {
        memoriesUsed = memoriesUsed == null ? List.of() : List.copyOf(memoriesUsed);
        memoryIds = memoryIds == null ? List.of() : List.copyOf(memoryIds);
        if (speculationNote == null) speculationNote = "";
    }

    /** Without speculative decoding's figures. */
    public ReplyStats(int promptTokens, int generatedTokens, double tokensPerSecond, double firstTokenMillis,
                      int contextUsed, int contextSize, String stopReason, List<String> memoriesUsed,
                      int computedTokens, double prefillTokensPerSecond, List<String> memoryIds) {
        this(promptTokens, generatedTokens, tokensPerSecond, firstTokenMillis, contextUsed, contextSize, stopReason,
                memoriesUsed, computedTokens, prefillTokensPerSecond, memoryIds, 0, 0, "");
    }

    /** Without the prefill figures and fact ids (answers stored before they were kept). */
    public ReplyStats(int promptTokens, int generatedTokens, double tokensPerSecond, double firstTokenMillis,
                      int contextUsed, int contextSize, String stopReason, List<String> memoriesUsed) {
        this(promptTokens, generatedTokens, tokensPerSecond, firstTokenMillis, contextUsed, contextSize, stopReason,
                memoriesUsed, 0, 0, List.of());
    }

    /** The id of the {@code i}th fact in {@code memoriesUsed}, or empty when it was not recorded. */
    public Optional<FactId> memoryId(int i) {
        return i < memoryIds.size() ? FactId.parse(memoryIds.get(i)) : Optional.empty();
    }

    /** Whether the prefill figures were recorded (not for answers stored before they were kept). */
    public boolean hasPrefillFigures() {
        return prefillTokensPerSecond > 0;
    }

    /** Of the proposed tokens, the share the model confirmed (0 when none were proposed). */
    public double acceptanceRate() {
        return draftedTokens == 0 ? 0 : (double) acceptedTokens / draftedTokens;
    }

    /** Prompt tokens that came from the KV saved with the conversation instead of being computed. */
    public int reusedTokens() {
        return Math.max(0, promptTokens - computedTokens);
    }
}
