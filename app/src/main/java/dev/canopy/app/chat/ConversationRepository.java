package dev.canopy.app.chat;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.MessageId;
import dev.canopy.memory.conversation.Role;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Where conversations and their messages are kept. Implementations are thread-safe. */
public interface ConversationRepository {

    /** All conversations: pinned first, then most recently updated. */
    List<Conversation> list();

    Optional<Conversation> find(ConversationId id);

    Conversation create(String title);

    void save(Conversation conversation);

    void delete(ConversationId id);

    /** Messages of a conversation, oldest first. */
    List<StoredMessage> messages(ConversationId conversationId);

    StoredMessage append(ConversationId conversationId, Role role, String content, Optional<ReplyStats> stats);

    /** Starts the assistant's answer to the conversation's last message; see {@link AnswerDraft}. */
    default AnswerDraft startAnswer(ConversationId conversationId) {
        return AnswerDraft.buffered(this, conversationId);
    }

    /** Removes {@code messageId} and every later message of its conversation (regenerate, edit and resend). */
    void deleteFrom(ConversationId conversationId, MessageId messageId);

    /** Conversations whose title or messages contain {@code query} (case-insensitive), in list order. */
    default List<Conversation> search(String query) {
        String q = query.strip().toLowerCase(Locale.ROOT);
        if (q.isEmpty()) return list();
        return list().stream().filter(c -> c.title().toLowerCase(Locale.ROOT).contains(q)
                || messages(c.id()).stream().anyMatch(m -> m.content().toLowerCase(Locale.ROOT).contains(q))).toList();
    }

    /** A short description shown where it matters (e.g. that conversations are not persisted). */
    default String description() {
        return "";
    }
}
