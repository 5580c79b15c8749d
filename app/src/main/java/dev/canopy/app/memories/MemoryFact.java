package dev.canopy.app.memories;

import java.time.Instant;
import java.util.List;

/**
 * One remembered fact: a self-contained sentence with its date and where it came from.
 *
 * @param id             stable key
 * @param text           e.g. "The user moved to Lyon in March 2026."
 * @param kind           event, state, preference, constraint, plan, detail or reference
 * @param time           when it happened or was said
 * @param conversationId the conversation it was learned in
 * @param entities       people, places and things it mentions
 */
public record MemoryFact(String id, String text, String kind, Instant time, String conversationId, List<String> entities) {
    public MemoryFact {
        entities = List.copyOf(entities);
    }

    public MemoryFact withText(String t) {
        return new MemoryFact(id, t, kind, time, conversationId, entities);
    }
}
