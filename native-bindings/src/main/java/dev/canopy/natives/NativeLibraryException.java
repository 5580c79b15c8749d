package dev.canopy.natives;

/**
 * The llama.cpp / ggml native libraries could not be found or loaded. The message names the
 * platform and every place that was tried, so a user can act on it without a stack trace.
 */
public final class NativeLibraryException extends RuntimeException {
    public NativeLibraryException(String message) {
        super(message);
    }

    public NativeLibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
