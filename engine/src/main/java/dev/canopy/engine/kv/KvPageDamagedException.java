package dev.canopy.engine.kv;

/**
 * A KV page failed its checksum when it was about to be used: its rows were not used. The
 * sequence recomputes everything from {@link #firstPosition()} on from the conversation's tokens.
 */
public final class KvPageDamagedException extends RuntimeException {
    private final int firstPosition;

    public KvPageDamagedException(int firstPosition, Throwable cause) {
        super("KV page from position " + firstPosition + " is damaged on disk; recomputing it from the text", cause);
        this.firstPosition = firstPosition;
    }

    /** The first position whose K/V must be recomputed. */
    public int firstPosition() { return firstPosition; }
}
