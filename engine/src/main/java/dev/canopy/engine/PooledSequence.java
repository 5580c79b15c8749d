package dev.canopy.engine;

/** A sequence of a {@link SequencePool}: its slot, and its result once it has left. */
public interface PooledSequence {
    int slot();

    /** Whether it has finished (end of text, a stop string, its token limit, a full slot, or cancelled). */
    boolean finished();

    /** The result; only once {@link #finished()}. */
    GenerationResult result();
}
