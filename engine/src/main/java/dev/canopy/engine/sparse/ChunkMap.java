package dev.canopy.engine.sparse;

/**
 * Which DHSA chunk each KV cell of a graph's window belongs to, in the form the graph reads it
 * (all arrays are padded to the window length W, since a window never holds more than W chunks).
 *
 * @param tokenChunk chunk id of every cell, [W]
 * @param chunkFirst first cell of every chunk, [W] (padding: 0)
 * @param chunkLast  last cell of every chunk, [W] (padding: 0)
 * @param chunkScale 1 / sqrt(chunk length) of every chunk, [W] (padding: 0)
 * @param chunks     real chunks (ids below this are chunks; the id {@code chunks} is the dummy
 *                   chunk of cells outside the sequence, if any)
 */
public record ChunkMap(int[] tokenChunk, int[] chunkFirst, int[] chunkLast, float[] chunkScale, int chunks) {
    public ChunkMap {
        int w = tokenChunk.length;
        if (chunkFirst.length != w || chunkLast.length != w || chunkScale.length != w) {
            throw new IllegalArgumentException("chunk map arrays must all have the window length " + w);
        }
    }

    /**
     * The map of a window of {@code window} cells for a sequence whose position i lives in cell
     * {@code seqStart + i}: positions below {@code known} are cut at {@code starts}; the
     * positions from {@code known} to cell {@code lastCell} (the query block and anything the
     * detector has not seen yet) form one provisional chunk; every other cell joins a dummy chunk
     * that selection never picks (it is not visible).
     */
    public static ChunkMap of(int[] starts, int known, int seqStart, int lastCell, int window) {
        if (seqStart < 0 || lastCell >= window || lastCell < seqStart) {
            throw new IllegalArgumentException("sequence cells " + seqStart + ".." + lastCell + " do not fit a window of " + window);
        }
        int seqCells = lastCell - seqStart + 1;
        int knownCells = Math.min(known, seqCells);
        int[] token = new int[window];
        int[] first = new int[window];
        int[] last = new int[window];
        float[] scale = new float[window];
        int n = 0;
        for (int s = 0; s < starts.length && starts[s] < knownCells; s++) {
            int end = s + 1 < starts.length ? Math.min(starts[s + 1], knownCells) : knownCells;
            n = addChunk(n, seqStart + starts[s], seqStart + end - 1, token, first, last, scale);
        }
        if (knownCells < seqCells) n = addChunk(n, seqStart + knownCells, lastCell, token, first, last, scale);
        int dummy = Math.min(n, window - 1);
        for (int c = 0; c < seqStart; c++) token[c] = dummy;
        for (int c = lastCell + 1; c < window; c++) token[c] = dummy;
        return new ChunkMap(token, first, last, scale, n);
    }

    private static int addChunk(int id, int from, int to, int[] token, int[] first, int[] last, float[] scale) {
        for (int c = from; c <= to; c++) token[c] = id;
        first[id] = from;
        last[id] = to;
        scale[id] = (float) (1.0 / Math.sqrt(to - from + 1));
        return id + 1;
    }

    /** Cells in the window. */
    public int window() {
        return tokenChunk.length;
    }
}
