package dev.canopy.memory.fact;

/** Where a fact was found: a conversation, and the cell and message when known. */
public record FactSource(long factId, long conversationId, Long cellId, Long messageId) {
}
