package dev.canopy.memory.conversation;

/** Where a message is in its life. */
public enum MessageStatus {
    /** Written before generation starts; no token yet. */
    PENDING,
    /** Tokens are arriving. A message found in this state on open was cut by a crash. */
    STREAMING,
    /** Finished normally. */
    COMPLETE,
    /** Stopped early (by the user, or by a crash noticed on the next open); the text is kept. */
    INTERRUPTED,
    /** Generation failed; {@link Message#error()} says why. */
    FAILED;

    /** Final messages are searchable and feed memory. */
    public boolean isFinal() {
        return this == COMPLETE || this == INTERRUPTED;
    }
}
