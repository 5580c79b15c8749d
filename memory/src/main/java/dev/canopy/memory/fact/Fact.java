package dev.canopy.memory.fact;

import java.time.Instant;
import java.util.List;

/**
 * A remembered fact.
 *
 * @param ts        when it was said (the time of its cell), the order key of every tree
 * @param validFrom the date the fact is about, when known (ISO yyyy-MM-dd), else null
 * @param validTo   end of that period, when known, else null
 */
public record Fact(long id, String text, FactRole role, FactOrigin origin, Instant ts, String validFrom,
                   String validTo, List<String> participants, List<String> entities, List<String> topics,
                   Instant createdAt, Instant updatedAt) {

    public Fact {
        participants = List.copyOf(participants);
        entities = List.copyOf(entities);
        topics = List.copyOf(topics);
    }
}
