package dev.canopy.engine.graph;

import java.lang.foreign.MemorySegment;

/**
 * The input tensors of a forward graph: the only things re-bound between runs of the same graph.
 * All borrowed from the graph's context.
 *
 * @param tokens    I32 [tokens] token ids
 * @param positions I32 [tokens] RoPE positions
 * @param kvRows    I64 [tokens] the KV cell each row's K and V are written to
 * @param mask      F16 [window, tokens] 0 where a row may attend to a cell, -inf elsewhere
 * @param outputIds I32 [outputs] rows whose logits are computed
 */
public record GraphInputs(MemorySegment tokens, MemorySegment positions, MemorySegment kvRows, MemorySegment mask,
                          MemorySegment outputIds) {
}
