package dev.canopy.natives.llama;

/** A model file that cannot be used: missing, not GGUF, damaged, unsupported, or too big for memory. */
public final class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
