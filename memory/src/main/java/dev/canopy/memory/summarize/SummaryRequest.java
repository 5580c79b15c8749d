package dev.canopy.memory.summarize;

import dev.canopy.memory.forest.TreeKind;
import java.time.Instant;
import java.util.List;

/**
 * One dirty node to summarize.
 *
 * @param children the items' texts (level 1) or the children's summaries (higher levels), in time order
 */
public record SummaryRequest(long nodeId, TreeKind kind, String treeLabel, int level, Instant from, Instant to,
                             List<String> children) {

    public SummaryRequest {
        children = List.copyOf(children);
    }
}
