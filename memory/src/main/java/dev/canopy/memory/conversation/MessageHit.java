package dev.canopy.memory.conversation;

/** A search result: the message and a snippet with the matches in [brackets]. */
public record MessageHit(long messageId, long conversationId, String conversationTitle, Role role,
                         String snippet, double score) {
}
