package dev.canopy.app.memories;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.fact.FactId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One remembered fact: a self-contained sentence with its date and where it came from.
 *
 * @param id             stable key
 * @param text           e.g. "The user moved to Lyon in March 2026."
 * @param kind           event, state, preference, constraint, plan, detail or reference
 * @param time           when it happened or was said
 * @param conversationId the conversation it was learned in (empty when its source is gone)
 * @param entities       people, places and things it mentions
 */
public record MemoryFact(FactId id, String text, String kind, Instant time, Optional<ConversationId> conversationId,
                         List<String> entities) {
    public MemoryFact {
        if (conversationId == null) conversationId = Optional.empty();
        entities = List.copyOf(entities);
    }

    public MemoryFact withText(String t) {
        return new MemoryFact(id, t, kind, time, conversationId, entities);
    }
}
