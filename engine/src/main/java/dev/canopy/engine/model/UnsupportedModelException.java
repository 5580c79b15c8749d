package dev.canopy.engine.model;

/** The model uses something Canopy's own graph does not build (it still runs through llama.cpp). */
public final class UnsupportedModelException extends RuntimeException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
