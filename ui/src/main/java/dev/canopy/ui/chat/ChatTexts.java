package dev.canopy.ui.chat;

import dev.canopy.app.chat.ChatPhase;
import dev.canopy.app.chat.ReplyStats;
import dev.canopy.app.chat.StoredMessage;
import dev.canopy.memory.conversation.MessageStatus;

import java.util.Locale;

/** What the chat writes about its messages: a stored message's shown text, an answer's figures, the phase line. */
final class ChatTexts {
    private ChatTexts() {}

    /** A stored message as the chat shows it: an answer Canopy stopped writing says so. */
    static String shown(StoredMessage m) {
        return m.status() == MessageStatus.INTERRUPTED && !m.content().isBlank()
                ? m.content() + "\n\n*(interrupted: Canopy stopped while writing this answer)*" : m.content();
    }

    /**
     * An answer's figures: "42 tokens · 12.3 tok/s · first token 80 ms · prompt 1,002 tokens: 960 from
     * the saved KV, 42 computed at 850 tok/s".
     */
    static String footer(ReplyStats s) {
        String base = String.format(Locale.ROOT, "%d tokens · %.1f tok/s · first token %.0f ms", s.generatedTokens(),
                s.tokensPerSecond(), s.firstTokenMillis());
        if (s.hasPrefillFigures()) {
            base += s.reusedTokens() > 0
                    ? String.format(Locale.ROOT, " · prompt %,d tokens: %,d from the saved KV, %,d computed at %.0f tok/s",
                            s.promptTokens(), s.reusedTokens(), s.computedTokens(), s.prefillTokensPerSecond())
                    : String.format(Locale.ROOT, " · prompt %,d tokens computed at %.0f tok/s", s.promptTokens(),
                            s.prefillTokensPerSecond());
        }
        if (s.draftedTokens() > 0) {
            base += String.format(Locale.ROOT, " · speculative: %,d of %,d guessed tokens accepted (%.0f%%)",
                    s.acceptedTokens(), s.draftedTokens(), 100 * s.acceptanceRate());
        } else if (!s.speculationNote().isEmpty()) {
            base += " · not speculative: " + s.speculationNote();
        }
        return base + (s.stopReason().equals("CANCELLED") ? " · stopped" : "");
    }

    static String phaseText(ChatPhase p) {
        return switch (p) {
            case LOADING_MODEL -> "Loading the model…";
            case RECALLING -> "Looking through memory…";
            case READING_PROMPT -> "Reading the conversation…";
            case WRITING -> "Writing…";
        };
    }
}
