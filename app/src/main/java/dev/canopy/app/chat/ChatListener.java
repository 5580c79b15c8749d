package dev.canopy.app.chat;

import dev.canopy.app.memories.MemoryFact;

import java.util.List;

/** Progress of one answer; called on the generating thread. */
public interface ChatListener {
    ChatListener NONE = new ChatListener() {};

    default void onPhase(ChatPhase phase) {}

    /** The facts recalled for this answer. */
    default void onMemories(List<MemoryFact> facts) {}

    /**
     * The prompt is built: it takes {@code promptTokens} of the {@code contextTokens} window; the
     * answer grows from there (one token per {@link #onText} call, roughly).
     */
    default void onContext(int promptTokens, int contextTokens) {}

    /** {@code done} of {@code total} new prompt tokens computed. */
    default void onPrefill(int done, int total) {}

    /** Something the user should know about how this answer runs (e.g. the KV tiers fell back to memory). */
    default void onNotice(String text) {}

    /** New text of the answer. */
    default void onText(String delta) {}
}
