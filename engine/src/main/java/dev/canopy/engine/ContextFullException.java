package dev.canopy.engine;

/** The prompt alone does not fit the context window. */
public final class ContextFullException extends RuntimeException {
    private final int needed;
    private final int available;

    public ContextFullException(int needed, int available) {
        super("The conversation needs " + needed + " tokens but the context window holds " + available
                + ". Start a new chat, allow dropping the oldest turns, or raise the context size in Settings.");
        this.needed = needed;
        this.available = available;
    }

    public int needed() { return needed; }
    public int available() { return available; }
}
