package dev.canopy.app.memories;

import java.time.Instant;
import java.util.List;

/**
 * A node of a memory tree: a time range with its summary; inner nodes have children, leaves have facts.
 *
 * @param id       stable key
 * @param level    0 for leaves, growing toward the root
 * @param start    earliest time covered
 * @param end      latest time covered
 * @param summary  what the node's facts say, in a sentence or two
 * @param children child nodes, oldest first
 * @param facts    facts held by a leaf
 */
public record MemoryNode(String id, int level, Instant start, Instant end, String summary, List<MemoryNode> children,
                         List<MemoryFact> facts) {
    public MemoryNode {
        children = List.copyOf(children);
        facts = List.copyOf(facts);
    }
}
