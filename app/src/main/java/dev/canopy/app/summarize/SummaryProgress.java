package dev.canopy.app.summarize;

import java.time.Duration;

/**
 * A progress report, sent after every batch and at every phase change.
 *
 * @param phase                    where the run is
 * @param level                    hierarchy level being produced (0 = chunk summaries)
 * @param done                     summaries of this level finished (stored ones included)
 * @param total                    summaries this level will have
 * @param chunksDone               chunk summaries finished
 * @param chunksTotal              chunks in the document
 * @param tokensPerSecond          prompt and generated tokens processed per second of generation so far
 * @param generatedTokensPerSecond generated tokens per second of generation so far
 * @param elapsed                  time since the run started
 */
public record SummaryProgress(SummaryPhase phase, int level, int done, int total, int chunksDone, int chunksTotal,
                              double tokensPerSecond, double generatedTokensPerSecond, Duration elapsed) {
    /** Fraction of the chunk summaries finished, 0..1 (the bulk of the work). */
    public double chunkFraction() {
        return chunksTotal == 0 ? 0 : (double) chunksDone / chunksTotal;
    }

    /** One line for a terminal or a status bar. */
    public String describe() {
        String what = switch (phase) {
            case CHUNKING -> "chunking";
            case SUMMARIZING_CHUNKS -> "chunks " + chunksDone + "/" + chunksTotal;
            case MERGING -> "merging level " + level + ": " + done + "/" + total;
            case WRITING_FINAL -> "writing the final summary";
            case DONE -> "done";
            case CANCELLED -> "cancelled";
        };
        return "%s | %.1f tok/s (%.1f generated) | %ds".formatted(what, tokensPerSecond, generatedTokensPerSecond, elapsed.toSeconds());
    }
}
