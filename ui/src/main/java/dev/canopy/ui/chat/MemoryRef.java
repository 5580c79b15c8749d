package dev.canopy.ui.chat;

import dev.canopy.app.chat.ReplyStats;
import dev.canopy.memory.fact.FactId;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A memory fact that went into an answer's prompt, as the chat lists it under the answer.
 *
 * @param id   the fact's id (empty when the answer was stored before ids were kept)
 * @param text the fact as the prompt held it
 */
public record MemoryRef(Optional<FactId> id, String text) {
    static List<MemoryRef> of(ReplyStats s) {
        List<MemoryRef> out = new ArrayList<>();
        for (int i = 0; i < s.memoriesUsed().size(); i++) {
            out.add(new MemoryRef(s.memoryId(i), s.memoriesUsed().get(i)));
        }
        return out;
    }
}
