package dev.canopy.app.chat;

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
 */
public record StoredMessage(String id, String conversationId, Role role, String content, Instant created,
                            Optional<ReplyStats> stats) {
    public StoredMessage {
        if (stats == null) stats = Optional.empty();
    }
}
