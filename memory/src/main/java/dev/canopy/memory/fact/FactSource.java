package dev.canopy.memory.fact;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.MessageId;

/** Where a fact was found: a conversation, and the cell and message when known. */
public record FactSource(FactId factId, ConversationId conversationId, Long cellId, MessageId messageId) {
}
