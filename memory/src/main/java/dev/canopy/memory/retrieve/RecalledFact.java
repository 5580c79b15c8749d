package dev.canopy.memory.retrieve;

import java.time.Instant;
import java.util.List;

/**
 * A memory chosen for a prompt: what the user sees under "memories used".
 *
 * @param ts    when it was said
 * @param via   labels of the trees whose descent reached it (empty: found by full-text match only)
 * @param score relevance, higher is better (comparable within one recall only)
 */
public record RecalledFact(long factId, String text, Instant ts, String validFrom, double score, List<String> via) {

    public RecalledFact {
        via = List.copyOf(via);
    }
}
