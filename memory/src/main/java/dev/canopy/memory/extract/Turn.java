package dev.canopy.memory.extract;

import dev.canopy.memory.conversation.Role;
import java.time.Instant;

/** One message inside a cell. */
public record Turn(long messageId, Role role, String speaker, String text, Instant at) {

    /** "Speaker: text", the form turns take in prompts and as facts. */
    public String line() {
        return speaker + ": " + text;
    }
}
