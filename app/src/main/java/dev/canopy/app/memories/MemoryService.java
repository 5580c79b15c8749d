package dev.canopy.app.memories;

import dev.canopy.app.chat.StoredMessage;
import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.fact.FactId;

import java.util.List;

/** Long-term memory as the desktop sees it: browse the forest, recall for an answer, edit and forget. */
public interface MemoryService {

    /** Every tree, newest first. */
    List<MemoryTree> forest();

    /** Every fact, newest first. */
    List<MemoryFact> timeline();

    /** The messages a fact was learned from. */
    List<SourceMessage> sources(FactId factId);

    /** Facts relevant to {@code query}, best first, at most {@code limit}. */
    List<MemoryFact> recall(String query, int limit);

    /** Learns from a finished exchange of a conversation (the user's message and the answer). */
    void remember(ConversationId conversationId, String conversationTitle, List<StoredMessage> exchange);

    void editFact(FactId factId, String text);

    void deleteFact(FactId factId);

    /** Forgets everything learned from one conversation; returns how many facts went. */
    int forgetConversation(ConversationId conversationId);

    /** A short description of the implementation, shown in the Memory view (e.g. that it is not persisted). */
    default String description() {
        return "";
    }
}
