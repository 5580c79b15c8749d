package dev.canopy.engine;

/** The outcome of one generation: the text (without the prompt), why it stopped, and timings. */
public record GenerationResult(String text, int[] tokens, StopReason stopReason, GenerationStats stats) {
    /** True when the text is a complete answer (not cut short by the user or the context). */
    public boolean complete() {
        return stopReason == StopReason.END_OF_TEXT || stopReason == StopReason.STOP_STRING;
    }
}
