package dev.canopy.engine.graph;

import dev.canopy.engine.sparse.SelectionInputs;

import java.lang.foreign.MemorySegment;

/**
 * The input tensors of a forward graph: the only things re-bound between runs of the same graph.
 * All borrowed from the graph's context.
 *
 * @param tokens    I32 [tokens] token ids
 * @param positions I32 [tokens] RoPE positions
 * @param kvRows    I64 [tokens] the KV cell each row's K and V are written to
 * @param mask      F16 [window, tokens] 0 where a row may attend to a cell, -inf elsewhere; null when the
 *                  graph's attention is sparse (it builds the mask of the keys it selected itself)
 * @param swaRows   I64 [tokens] the cell of the sliding-window layers' ring each row's K and V are
 *                  written to; null when those layers keep the whole context (they then use {@code kvRows})
 * @param swaMask   F16 [swaWindow, tokens] the mask of the sliding-window layers: over the ring's
 *                  cells when there is a ring (swaWindow = its cells the graph reads), else over the
 *                  same window as {@code mask} (only the last n_swa cells of what it shows); null when
 *                  no layer slides or the graph is sparse
 * @param outputIds I32 [outputs] rows whose logits are computed
 * @param outputBlock the query rows the last layer attends for (a prefill chunk graph), or null
 *                  when it attends for every row
 * @param selection the sparse-attention inputs (mode DENSE and no tensors for a dense graph)
 */
public record GraphInputs(MemorySegment tokens, MemorySegment positions, MemorySegment kvRows, MemorySegment mask,
                          MemorySegment swaRows, MemorySegment swaMask,
                          MemorySegment outputIds, OutputBlock outputBlock, SelectionInputs selection) {
    /** Whether the graph selects keys (dhsa, window or topk) instead of reading its whole window. */
    public boolean sparse() {
        return selection.mode().isSparse();
    }
}
