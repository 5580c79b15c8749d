package dev.canopy.engine.graph;

import java.lang.foreign.MemorySegment;

/**
 * The query rows the last layer's attention computes when only one row's logits are wanted (a
 * prefill chunk): {@link #ROWS} consecutive rows ending with the output row, so that ggml's CPU
 * flash attention still runs its tiled kernel on them (it needs that many query rows; each row's
 * result is the same whatever other rows share its tiles). Every row still writes its K and V.
 * Borrowed from the graph's context.
 *
 * @param rows           I32 [ROWS] the graph rows of the block, ascending
 * @param outputsInBlock I32 [outputs] where the output rows sit within the block
 */
public record OutputBlock(MemorySegment rows, MemorySegment outputsInBlock) {
    /** Query rows of the block: ggml's flash-attention Q tile (GGML_FA_TILE_Q). */
    public static final int ROWS = 64;

    /** Whether a graph of {@code shape} gains from a block: one output row among at least twice its rows. */
    public static boolean fits(GraphShape shape) {
        return shape.outputs() == 1 && shape.slots().streams() == 1 && shape.tokens() >= 2 * ROWS;
    }

    /** The first graph row of the block holding graph row {@code outputRow} of a graph of {@code tokens} rows. */
    public static int firstRow(int outputRow, int tokens) {
        return Math.max(0, Math.min(outputRow - ROWS + 1, tokens - ROWS));
    }
}
