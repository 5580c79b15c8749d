package dev.canopy.memory.conversation;

/** A search result: the message and a snippet with the matches in [brackets]. */
public record MessageHit(MessageId messageId, ConversationId conversationId, String conversationTitle, Role role,
                         String snippet, double score) {
}
