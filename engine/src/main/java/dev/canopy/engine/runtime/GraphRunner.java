package dev.canopy.engine.runtime;

import java.lang.foreign.MemorySegment;

/**
 * Where one graph family's intermediate tensors live and how its graphs run: on one backend through
 * ggml's graph allocator, or split over a GPU and the CPU through ggml's backend scheduler. Owns
 * its compute buffers.
 */
interface GraphRunner extends AutoCloseable {
    /** Sizes the compute buffers for {@code graph} (they only grow). */
    void reserve(MemorySegment graph);

    /** Assigns memory to every tensor of {@code graph}; its inputs are written after this. */
    void allocate(MemorySegment graph);

    /** Computes {@code graph}, the graph last allocated. */
    void compute(MemorySegment graph);

    /** Bytes of the compute buffers. */
    long bufferBytes();

    /**
     * Whether allocating a graph rewrites it (ggml's scheduler points the nodes of a split graph at
     * copies of their inputs that live until the next split), so a graph may be allocated only once.
     */
    boolean splitsGraphs();

    /** Parts the last allocated graph runs in, one per change of backend (1 on the CPU alone). */
    int splits();

    @Override
    void close();
}
