package dev.canopy.engine.kv;

import dev.canopy.engine.runtime.Step;

import java.util.Arrays;

/**
 * The host-side bookkeeping of the sliding-window layers' KV ring (llama.cpp's llama_kv_cells of
 * the iSWA cache's SWA half): every sequence slot owns {@code ringCells} cells, position p of a
 * sequence lands in cell {@code slot * ringCells + p mod ringCells}, and each cell remembers the
 * position it holds. A row at position p sees the cells of its slot holding a position q with
 * q <= p and p - q < n_swa (llama.cpp's is_masked_swa, standard type); cells never written or
 * holding a position the window has left are hidden. The ring holds at least n_swa + the largest
 * step's rows per slot, so a step never overwrites a key one of its own rows still sees.
 *
 * <p>A step's rows name their sequence by the first cell of it in the full-layer cache
 * ({@link Step#visibleFrom()}): sequence s starts at {@code s * stride} there.
 */
public final class SwaRing {
    private final int nSwa;
    private final int ringCells;  // cells per slot
    private final int slots;
    private final int stride;     // full-cache cells per sequence
    private final int[] held;     // position each ring cell holds, -1 when empty

    /**
     * @param nSwa      keys a sliding-window row sees, its own included
     * @param ringCells ring cells per sequence slot (>= n_swa + a step's rows of one sequence, or
     *                  >= the sequence's whole length, when nothing wraps)
     * @param slots     sequences side by side
     * @param stride    cells of one sequence in the full-layer cache
     */
    public SwaRing(int nSwa, int ringCells, int slots, int stride) {
        if (nSwa < 1 || ringCells < 1 || slots < 1 || stride < 1) throw new IllegalArgumentException("bad ring");
        this.nSwa = nSwa;
        this.ringCells = ringCells;
        this.slots = slots;
        this.stride = stride;
        this.held = new int[ringCells * slots];
        Arrays.fill(held, -1);
    }

    /** Ring cells per slot needed for steps of {@code stepRows} rows per sequence, padded to 256 like llama.cpp's. */
    public static int cellsFor(int nSwa, int stepRows, int sequenceCells) {
        int pad = (nSwa + stepRows + 255) / 256 * 256;
        return Math.min(pad, (sequenceCells + 255) / 256 * 256);
    }

    /** All ring cells (every slot). */
    public int cells() { return held.length; }

    /** Ring cells of one slot. */
    public int cellsPerSlot() { return ringCells; }

    public int window() { return nSwa; }

    /** The cells a graph whose full-layer attention reads {@code window} cells reads of the ring. */
    public int window(int fullWindow) {
        return slots == 1 ? Math.min(fullWindow, ringCells) : held.length;
    }

    /** The slot of a step row's sequence. */
    public int slotOf(Step step, int row) {
        int slot = step.visibleFrom()[row] / stride;
        if (slot >= slots) throw new IllegalArgumentException("row " + row + " belongs to no ring slot");
        return slot;
    }

    /** The ring cell of position {@code pos} of slot {@code slot}. */
    public int cell(int slot, int pos) {
        return slot * ringCells + Math.floorMod(pos, ringCells);
    }

    /** Records where the step's rows write their sliding-window K/V and returns those cells (one per row). */
    public int[] place(Step step) {
        int[] cells = new int[step.rows()];
        for (int r = 0; r < cells.length; r++) {
            cells[r] = cell(slotOf(step, r), step.positions()[r]);
            held[cells[r]] = step.positions()[r];
        }
        return cells;
    }

    /** Whether a row of slot {@code slot} at position {@code pos} sees ring cell {@code cell}. */
    public boolean visible(int cell, int slot, int pos) {
        int q = held[cell];
        return cell / ringCells == slot && q >= 0 && q <= pos && pos - q < nSwa;
    }

    /** Forgets what slot {@code slot} holds from position {@code length} on (a rewound sequence). */
    public void truncate(int slot, int length) {
        for (int c = slot * ringCells; c < (slot + 1) * ringCells; c++) if (held[c] >= length) held[c] = -1;
    }

    /**
     * Whether the sequence of slot {@code slot}, cut to {@code length} positions, can continue: the
     * keys the next position sees (the n_swa - 1 before it) are all still in the ring.
     */
    public boolean continuable(int slot, int length) {
        for (int q = Math.max(0, length - nSwa + 1); q < length; q++) {
            if (held[cell(slot, q)] != q) return false;
        }
        return true;
    }
}
