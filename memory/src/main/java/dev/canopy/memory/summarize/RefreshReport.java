package dev.canopy.memory.summarize;

import java.util.List;
import java.util.Map;

/**
 * What one refresh did.
 *
 * @param summarizedNodeIds every node re-summarized, bottom-up
 * @param perLevel          how many per tree level
 */
public record RefreshReport(List<Long> summarizedNodeIds, Map<Integer, Integer> perLevel) {

    public RefreshReport {
        summarizedNodeIds = List.copyOf(summarizedNodeIds);
        perLevel = Map.copyOf(perLevel);
    }

    public int nodesSummarized() {
        return summarizedNodeIds.size();
    }
}
