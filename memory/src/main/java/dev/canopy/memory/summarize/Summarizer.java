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
}
