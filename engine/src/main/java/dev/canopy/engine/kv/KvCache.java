package dev.canopy.engine.kv;

import dev.canopy.engine.runtime.Step;

import java.lang.foreign.MemorySegment;

/**
 * Where the engine keeps attention keys and values: per layer, one K and one V tensor of
 * {@code [kvWidth, cells + 1]} rows. Row {@code i} is cell {@code i}; which token a cell holds is
 * the caller's bookkeeping (the graph writes rows through an index tensor and reads a window of
 * the first cells through a mask). The extra last row is scratch that no window shows, where
 * padding rows of a chunk write. Kept behind this interface so a tiered store can page it later.
 */
public interface KvCache extends AutoCloseable {
    /** Usable cells (tokens). */
    int cells();

    /**
     * The cells of the sequence's whole context (llama.cpp's n_ctx_seq, which picks phi3's long or
     * short RoPE factors): {@link #cells()} unless the cache holds only a working set of it.
     */
    default int contextCells() { return cells(); }

    /** The scratch row: written by padding, never attended to. */
    default int scratchCell() { return cells(); }

    /** The K tensor of {@code layer}, [kvWidth, cells + 1] ([kvWidth, ring cells + 1] for a ring layer). Borrowed. */
    MemorySegment keys(int layer);

    /** The V tensor of {@code layer}, [kvWidth, cells + 1]. Borrowed. */
    MemorySegment values(int layer);

    /**
     * The ring of the sliding-window layers when they keep only their window (see
     * {@link IswaKvCache}), or null when every layer's K/V lives in cells of the whole context.
     */
    default SwaRing swaRing() { return null; }

    /** The scratch row of the sliding-window layers' tensors (their ring's, when they have one). */
    default int swaScratchCell() { return scratchCell(); }

    /** The ggml type of the rows (F16 by default, as llama.cpp). */
    int type();

    /** Bytes held. */
    long bytes();

    /**
     * Called by the forward pass before {@code step} runs. A paged cache gathers the rows the step
     * attends to into its tensors and returns the step with cells and visibility in those tensors;
     * a dense cache returns it unchanged.
     */
    default Step beforeStep(Step step) { return step; }

    /** Called after the step's graph computed ({@code cgraph}): a paged cache keeps the new rows and the queries. */
    default void afterStep(MemorySegment cgraph) {}

    /** Whether the graph must keep each layer's roped queries ("Qcur_rope-il") readable after compute. */
    default boolean readsQueries() { return false; }

    @Override
    void close();
}
