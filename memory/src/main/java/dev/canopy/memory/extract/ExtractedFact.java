package dev.canopy.memory.extract;

import dev.canopy.memory.fact.FactRole;
import java.util.List;

/**
 * A memory item as the extractor produced it.
 *
 * @param validFrom       ISO date the fact is about, or null
 * @param sourceMessageId the single turn it restates, when known
 */
public record ExtractedFact(String text, FactRole role, List<String> participants, List<String> entities,
                            List<String> topics, String validFrom, String validTo, Long sourceMessageId) {

    public ExtractedFact {
        participants = List.copyOf(participants);
        entities = List.copyOf(entities);
        topics = List.copyOf(topics);
    }
}
