package dev.canopy.app.chat;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.Role;
/**
 * An answer being written. The store keeps it from before the first token (a crash loses at most
 * the token in flight; the next start marks it interrupted and keeps its text).
 */
public interface AnswerDraft {
    /** The next piece of text as the model wrote it. */
    void append(String delta);

    /** Finishes the answer with its final text and statistics. */
    StoredMessage complete(String text, ReplyStats stats);

    /**
     * Ends an answer that will not complete (cancelled before its first token, or failed): one
     * without text is removed, one with text is kept and marked interrupted.
     */
    void abandon();

    /** A draft that stores the answer only when it completes (stores without streaming writes). */
    static AnswerDraft buffered(ConversationRepository repo, ConversationId conversationId) {
        return new AnswerDraft() {
            @Override public void append(String delta) {}

            @Override public StoredMessage complete(String text, ReplyStats stats) {
                return repo.append(conversationId, Role.ASSISTANT, text, java.util.Optional.of(stats));
            }

            @Override public void abandon() {}
        };
    }
}
