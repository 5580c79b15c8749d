package dev.canopy.engine.sparse;

/**
 * The query block one sparse-attention graph run selects keys for: the valid rows of a prefill
 * chunk, or the one decoded token. Cells are KV cache cells of the block's sequence, which
 * occupies cells {@code seqStart..lastCell} contiguously (the engine's cell = base + position).
 *
 * @param seqStart  the sequence's first cell (its attention sink starts here)
 * @param firstCell cell of the block's first row
 * @param lastCell  cell of the block's last valid row: keys after it are never visible
 * @param rows      valid rows of the block (the rest of the graph's rows are padding)
 */
public record QueryBlock(int seqStart, int firstCell, int lastCell, int rows) {
    public QueryBlock {
        if (seqStart < 0 || firstCell < seqStart || lastCell < firstCell || rows < 1) {
            throw new IllegalArgumentException("bad query block " + seqStart + "/" + firstCell + "/" + lastCell + "/" + rows);
        }
    }

    /** The block of {@code rows} consecutive positions from {@code firstPosition} of a sequence at {@code seqStart}. */
    public static QueryBlock of(int seqStart, int firstPosition, int rows) {
        return new QueryBlock(seqStart, seqStart + firstPosition, seqStart + firstPosition + rows - 1, rows);
    }

    /** Whether the key in {@code cell} may be attended to by some row of the block. */
    public boolean visible(int cell) {
        return cell >= seqStart && cell <= lastCell;
    }

    /** Whether the key in {@code cell} is always kept: the sink, the local window or the block itself. */
    public boolean forced(int cell, int sink, int window) {
        if (!visible(cell)) return false;
        return cell < seqStart + sink || cell >= firstCell - window;
    }

    /** Cells the block can see. */
    public int visibleCells() {
        return lastCell - seqStart + 1;
    }
}
