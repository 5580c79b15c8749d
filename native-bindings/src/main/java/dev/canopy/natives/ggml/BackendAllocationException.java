package dev.canopy.natives.ggml;

/** A backend could not allocate a buffer (its memory is full): callers may retry with less. */
public final class BackendAllocationException extends IllegalStateException {
    private final long bytes;

    public BackendAllocationException(String message, long bytes) {
        super(message);
        this.bytes = bytes;
    }

    /** The size of the buffer that could not be allocated. */
    public long bytes() {
        return bytes;
    }
}
