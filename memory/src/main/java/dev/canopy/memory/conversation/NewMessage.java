package dev.canopy.memory.conversation;

import java.time.Instant;
import java.util.Objects;

/**
 * What the caller knows about a message before it is stored.
 *
 * @param createdAt null: now
 */
public record NewMessage(Role role, String author, String content, String model, String settings,
                         Instant createdAt, String externalRef) {

    public NewMessage {
        Objects.requireNonNull(role, "role");
        content = content == null ? "" : content;
    }

    public static NewMessage user(String content) {
        return new NewMessage(Role.USER, null, content, null, null, null, null);
    }

    /** An assistant message about to be generated with this model and settings. */
    public static NewMessage assistant(String model, String settings) {
        return new NewMessage(Role.ASSISTANT, null, "", model, settings, null, null);
    }

    public NewMessage at(Instant time) {
        return new NewMessage(role, author, content, model, settings, time, externalRef);
    }

    public NewMessage by(String speaker) {
        return new NewMessage(role, speaker, content, model, settings, createdAt, externalRef);
    }

    public NewMessage ref(String ref) {
        return new NewMessage(role, author, content, model, settings, createdAt, ref);
    }
}
