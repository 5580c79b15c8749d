package dev.canopy.engine.graph;

/**
 * Which part of a batch KV cache a graph's attention reads. A batch gives every sequence a slot
 * of {@code slotCells} consecutive full-layer cells (and of the sliding-window ring's cells per
 * slot); a graph then reads {@code streams} slots side by side from slot {@code first}, each
 * through its own view (llama.cpp's KV streams): stream s's rows attend only to the first
 * {@code window} cells of slot {@code first + s}, never to another sequence's cells. Rows are
 * stream-major, {@code tokens / streams} per stream.
 *
 * @param first     the first slot read
 * @param streams   slots read side by side (1: one sequence's query block)
 * @param slotCells full-layer cells per slot; 0 for a single-sequence cache read from cell 0
 */
public record KvSlots(int first, int streams, int slotCells) {
    private static final KvSlots WHOLE = new KvSlots(0, 1, 0);

    public KvSlots {
        if (first < 0 || streams < 1 || slotCells < 0 || (slotCells == 0 && (first != 0 || streams != 1))) {
            throw new IllegalArgumentException("bad KV slots " + first + "/" + streams + "/" + slotCells);
        }
    }

    /** The cache read from cell 0, as one sequence (or several, told apart by the mask only). */
    public static KvSlots whole() { return WHOLE; }

    /** Slot {@code slot} alone: one sequence's prefill chunk. */
    public static KvSlots one(int slot, int slotCells) { return new KvSlots(slot, 1, slotCells); }

    /** Slots {@code 0..count-1} side by side: one step of every sequence of a batch. */
    public static KvSlots all(int count, int slotCells) { return new KvSlots(0, count, slotCells); }

    /** Whether the graph reads slots (views at each slot's first cell) rather than the cache from cell 0. */
    public boolean sliced() { return slotCells > 0; }

    /** The first full-layer cell a graph row of stream {@code stream} reads. */
    public int firstCell(int stream) { return sliced() ? (first + stream) * slotCells : 0; }
}
