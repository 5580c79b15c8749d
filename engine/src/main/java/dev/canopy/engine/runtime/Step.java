package dev.canopy.engine.runtime;

/**
 * The rows of one forward run (at most the graph's token count; the rest is padding).
 *
 * @param tokens      token id of each row
 * @param positions   RoPE position of each row
 * @param cells       KV cell each row writes its K and V to
 * @param visibleFrom first KV cell each row attends to
 * @param visibleTo   last KV cell (inclusive) each row attends to; must include its own cell
 * @param outputRows  rows whose logits are wanted, in order
 */
public record Step(int[] tokens, int[] positions, int[] cells, int[] visibleFrom, int[] visibleTo, int[] outputRows) {
    public Step {
        int n = tokens.length;
        if (n == 0 || positions.length != n || cells.length != n || visibleFrom.length != n || visibleTo.length != n) {
            throw new IllegalArgumentException("step arrays must have one entry per row");
        }
        if (outputRows.length == 0) throw new IllegalArgumentException("a step needs at least one output row");
    }

    /**
     * Rows {@code from..from+tokens.length-1} of one sequence whose cell {@code i} holds position
     * {@code i} (cell = base + position), attending causally to everything before; the logits of
     * the last row are returned.
     */
    public static Step causal(int[] tokens, int firstPosition, int cellBase) {
        int n = tokens.length;
        int[] pos = new int[n], cells = new int[n], lo = new int[n], hi = new int[n];
        for (int i = 0; i < n; i++) {
            pos[i] = firstPosition + i;
            cells[i] = cellBase + pos[i];
            lo[i] = cellBase;
            hi[i] = cells[i];
        }
        return new Step(tokens, pos, cells, lo, hi, new int[] {n - 1});
    }

    public int rows() { return tokens.length; }

    /** One past the highest cell any row attends to. */
    public int cellsNeeded() {
        int m = 0;
        for (int h : visibleTo) m = Math.max(m, h + 1);
        return m;
    }
}
