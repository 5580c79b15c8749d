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
 * @param swaMask   F16 [window, tokens] the mask of the sliding-window layers (only the last n_swa
 *                  positions of what {@code mask} shows); null when no layer slides or the graph is sparse
 * @param outputIds I32 [outputs] rows whose logits are computed
 * @param selection the sparse-attention inputs (mode DENSE and no tensors for a dense graph)
 */
public record GraphInputs(MemorySegment tokens, MemorySegment positions, MemorySegment kvRows, MemorySegment mask,
                          MemorySegment swaMask,
                          MemorySegment outputIds, SelectionInputs selection) {
    /** Whether the graph selects keys (dhsa, window or topk) instead of reading its whole window. */
    public boolean sparse() {
        return selection.mode().isSparse();
    }
}
