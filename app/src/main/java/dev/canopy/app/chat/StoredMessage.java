package dev.canopy.app.chat;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.MessageId;
import dev.canopy.memory.conversation.MessageStatus;
import dev.canopy.memory.conversation.Role;
import java.time.Instant;
import java.util.Optional;

/**
 * One message of a conversation.
 *
 * @param id             stable key
 * @param conversationId its conversation
 * @param role           user or assistant
 * @param content        the text (markdown for answers; a user message may carry an attached document)
 * @param created        when it was written
 * @param stats          for answers: how it was produced
 * @param status         complete, or interrupted when Canopy stopped while writing it (the view says so)
 */
public record StoredMessage(MessageId id, ConversationId conversationId, Role role, String content, Instant created,
                            Optional<ReplyStats> stats, MessageStatus status) {
    public StoredMessage {
        if (stats == null) stats = Optional.empty();
        if (status == null) status = MessageStatus.COMPLETE;
    }

    /** A complete message. */
    public StoredMessage(MessageId id, ConversationId conversationId, Role role, String content, Instant created,
                         Optional<ReplyStats> stats) {
        this(id, conversationId, role, content, created, stats, MessageStatus.COMPLETE);
    }
}
