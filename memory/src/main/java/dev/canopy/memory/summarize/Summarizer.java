package dev.canopy.memory.summarize;

import java.util.List;

/**
 * Writes node summaries. The refresher calls it once per tree level with every dirty node of that
 * level, so an implementation can summarize them in parallel (one engine batch).
 */
@FunctionalInterface
public interface Summarizer {

    /** One summary per request, in order. */
    List<String> summarize(List<SummaryRequest> requests);

    /**
     * True when {@link #summarize} is quick in-process work that never waits on a model: the
     * refresher may then run it inside its write transaction and commit once per refresh, instead
     * of reading, summarizing outside any transaction and committing once per level.
     */
    default boolean inProcess() {
        return false;
    }
}
