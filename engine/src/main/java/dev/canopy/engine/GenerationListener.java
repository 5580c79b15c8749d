package dev.canopy.engine;

/** Streaming callbacks; called on the generating thread. Defaults do nothing. */
public interface GenerationListener {
    GenerationListener NONE = new GenerationListener() {};

    /** After each prefill chunk: {@code done} of {@code total} prompt tokens computed. */
    default void onPrefillProgress(int done, int total) {}

    /** Each piece of new text as it is produced (whole UTF-8 characters only). */
    default void onText(String delta) {}
}
