package dev.canopy.memory.conversation;

import java.time.Instant;

/**
 * One message of a conversation.
 *
 * @param seq         position in the conversation, from 1
 * @param sessionNo   sessions are cut at gaps of more than {@link Sessions#GAP}
 * @param author      display name of the speaker (may be null: the role's name is used)
 * @param externalRef an identifier from an imported source (for example a LoCoMo dialogue id)
 */
public record Message(MessageId id, ConversationId conversationId, int seq, int sessionNo, Role role, String author,
                      String content, MessageStatus status, String model, String settings, Instant createdAt,
                      Timings timings, String error, String externalRef) {

    /** The author, or the role's name when none was given. */
    public String speaker() {
        return speaker(role, author);
    }

    /** {@code author}, or {@code role}'s name when it is null or blank: how a message's speaker is shown to the model. */
    public static String speaker(Role role, String author) {
        if (author != null && !author.isBlank()) {
            return author;
        }
        return switch (role) {
            case USER -> "User";
            case ASSISTANT -> "Assistant";
            case SYSTEM -> "System";
        };
    }
}
