package dev.canopy.app.summarize;

/** Callbacks of a summarization, on the thread that runs it. Defaults do nothing. */
public interface SummaryListener {
    SummaryListener NONE = new SummaryListener() {};

    default void onProgress(SummaryProgress progress) {}

    /** Pieces of the final summary as the model writes them (before citations are checked and added). */
    default void onFinalText(String delta) {}

    /** The final pass starts over (its first answer hit the length limit): discard the text received so far. */
    default void onFinalRestart() {}
}
