package dev.canopy.memory.conversation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Generation timings of a message. Fields are null until known.
 *
 * @param firstTokenAt    when the first token was stored
 * @param finishedAt      when the message became final
 * @param promptTokens    tokens of the prompt, when the engine reported them
 * @param generatedTokens tokens appended so far
 */
public record Timings(Instant firstTokenAt, Instant finishedAt, Integer promptTokens, int generatedTokens) {

    public static final Timings NONE = new Timings(null, null, null, 0);

    /** Time from the message's creation to its first token. */
    public Optional<Duration> timeToFirstToken(Instant createdAt) {
        return firstTokenAt == null ? Optional.empty() : Optional.of(Duration.between(createdAt, firstTokenAt));
    }
}
