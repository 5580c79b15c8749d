package dev.canopy.app.summarize;

/** Where a summarization is. */
public enum SummaryPhase {
    /** Cutting the document into chunks. */
    CHUNKING,
    /** Level 0: summarizing chunks, a batch at a time. */
    SUMMARIZING_CHUNKS,
    /** Levels 1 and up: merging consecutive summaries. */
    MERGING,
    /** The final pass in the chosen style. */
    WRITING_FINAL,
    /** Finished. */
    DONE,
    /** Stopped by the user; finished work is stored and a new run resumes from it. */
    CANCELLED
}
