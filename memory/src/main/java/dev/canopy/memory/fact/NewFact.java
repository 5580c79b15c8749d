package dev.canopy.memory.fact;

import java.time.Instant;
import java.util.List;

/** A fact about to be stored. {@code sourceMessageId} is the turn it came from, when it is one turn. */
public record NewFact(String text, FactRole role, Instant ts, String validFrom, String validTo,
                      List<String> participants, List<String> entities, List<String> topics, Long sourceMessageId) {

    public NewFact {
        participants = List.copyOf(participants);
        entities = List.copyOf(entities);
        topics = List.copyOf(topics);
    }
}
