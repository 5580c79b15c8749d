package dev.canopy.app.chat;

import dev.canopy.app.memories.MemoryFact;

import java.util.List;
import java.util.Optional;

/**
 * A finished (or stopped) answer.
 *
 * @param message  the stored answer; empty when it was stopped before any text
 * @param stats    how it was produced
 * @param memories facts recalled for it
 * @param droppedTurns oldest messages left out so the conversation fits the context window
 * @param notice   how this answer ran differently from what Settings ask for, when it did
 */
public record ChatReply(Optional<StoredMessage> message, ReplyStats stats, List<MemoryFact> memories, int droppedTurns,
                        Optional<String> notice) {
    public boolean cancelled() {
        return "CANCELLED".equals(stats.stopReason());
    }
}
