package dev.canopy.engine.speculative;

/** A model that can draft for speculative decoding: opens a drafter with its own KV cache. */
public interface DraftSource {
    /** A drafter over a fresh sequence of this model (the caller owns and closes it). */
    Drafter open();
}
