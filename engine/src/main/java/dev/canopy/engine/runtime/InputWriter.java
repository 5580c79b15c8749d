package dev.canopy.engine.runtime;

import dev.canopy.engine.graph.GraphInputs;
import dev.canopy.engine.graph.GraphShape;
import dev.canopy.engine.graph.KvSlots;
import dev.canopy.engine.graph.OutputBlock;
import dev.canopy.engine.kv.SwaRing;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Writes a {@link Step} into a graph's input tensors, padding unused rows: padding rows write
 * their K/V to the cache's scratch cell and attend to cell 0 only, so they never disturb real
 * rows. With a {@link SwaRing} the sliding-window layers write to ring cells and their mask is
 * built from the positions the ring's cells hold (llama.cpp's set_input_kq_mask). On the CPU the
 * inputs are written in place; on other backends through a host staging buffer. Owns the staging
 * memory.
 */
final class InputWriter implements AutoCloseable {
    private static final short F16_ZERO = 0;
    private static final short F16_NEG_INF = (short) 0xFC00;

    private final Arena arena = Arena.ofShared(); // owned: staging and the -inf template row
    private final Writes writes;
    private final int scratchCell;
    private final int slidingWindow; // n_swa of the sliding-window layers, 0 when none
    private final SwaRing ring;      // borrowed: the sliding-window layers' ring, or null when they keep the context
    private final int swaScratchCell;
    private MemorySegment staging = MemorySegment.NULL;
    private MemorySegment negInfRow = MemorySegment.NULL;

    /** How the inputs reach their tensors. */
    enum Writes {
        /** The tensors are in host memory (everything on the CPU): written where they are. */
        IN_PLACE,
        /** The tensors are in device memory: written to host staging, then copied over. */
        STAGED
    }

    /**
     * {@code slidingWindow}: the n_swa of the model's sliding-window layers, 0 when none; {@code ring}
     * their KV ring (null when they keep the whole context), whose padding rows write to {@code swaScratchCell}.
     */
    InputWriter(Writes writes, int scratchCell, int slidingWindow, SwaRing ring, int swaScratchCell) {
        this.writes = writes;
        this.scratchCell = scratchCell;
        this.slidingWindow = slidingWindow;
        this.ring = ring;
        this.swaScratchCell = swaScratchCell;
    }

    void write(GraphInputs in, GraphShape shape, Step step) {
        int n = shape.tokens();
        if (step.rows() > n || step.outputRows().length > shape.outputs()) {
            throw new IllegalArgumentException("step of " + step.rows() + " rows does not fit graph " + shape);
        }
        int[] stepRow = stepRows(shape, step);
        int[] ids = new int[n], pos = new int[n];
        long[] rows = new long[n];
        for (int i = 0; i < n; i++) {
            int r = stepRow[i];
            ids[i] = r >= 0 ? step.tokens()[r] : 0;
            pos[i] = r >= 0 ? step.positions()[r] : 0;
            rows[i] = r >= 0 ? step.cells()[r] : scratchCell;
        }
        put(in.tokens(), MemorySegment.ofArray(ids));
        put(in.positions(), MemorySegment.ofArray(pos));
        put(in.kvRows(), MemorySegment.ofArray(rows));
        int[] graphRow = new int[step.rows()];
        for (int i = 0; i < n; i++) if (stepRow[i] >= 0) graphRow[stepRow[i]] = i;
        int[] o = step.outputRows();
        int[] out = new int[shape.outputs()];
        for (int i = 0; i < out.length; i++) out[i] = graphRow[o[Math.min(i, o.length - 1)]];
        put(in.outputIds(), MemorySegment.ofArray(out));
        if (in.outputBlock() != null) writeOutputBlock(in.outputBlock(), n, out);

        if (in.mask() != null) writeMask(in.mask(), shape, step, stepRow, Integer.MAX_VALUE); // sparse graphs mask their selected keys themselves
        if (in.swaRows() != null) {
            int[] ringCells = ring.place(step);
            long[] swaRows = new long[n];
            for (int i = 0; i < n; i++) swaRows[i] = stepRow[i] >= 0 ? ringCells[stepRow[i]] : swaScratchCell;
            put(in.swaRows(), MemorySegment.ofArray(swaRows));
            if (in.swaMask() != null) writeRingMask(in.swaMask(), shape, step, stepRow);
        } else if (in.swaMask() != null) {
            writeMask(in.swaMask(), shape, step, stepRow, slidingWindow);
        }
    }

    /** The last layer's query block: the OutputBlock.ROWS graph rows ending with the output row (or from row 0). */
    private void writeOutputBlock(OutputBlock block, int tokens, int[] outputGraphRows) {
        int first = OutputBlock.firstRow(outputGraphRows[0], tokens);
        int[] rows = new int[OutputBlock.ROWS];
        for (int i = 0; i < rows.length; i++) rows[i] = first + i;
        int[] inBlock = new int[outputGraphRows.length];
        for (int i = 0; i < inBlock.length; i++) inBlock[i] = outputGraphRows[i] - first;
        put(block.rows(), MemorySegment.ofArray(rows));
        put(block.outputsInBlock(), MemorySegment.ofArray(inBlock));
    }

    /**
     * The step row of each graph row, -1 for padding. A graph reading the cache from cell 0 takes
     * the step's rows in order; one reading several slots takes each slot's rows, in order, into
     * that slot's stream.
     */
    private static int[] stepRows(GraphShape shape, Step step) {
        int[] stepRow = new int[shape.tokens()];
        Arrays.fill(stepRow, -1);
        KvSlots slots = shape.slots();
        if (slots.streams() == 1) {
            for (int r = 0; r < step.rows(); r++) stepRow[r] = r;
            return stepRow;
        }
        int per = shape.tokensPerStream();
        int[] used = new int[slots.streams()];
        for (int r = 0; r < step.rows(); r++) {
            int stream = step.visibleFrom()[r] / slots.slotCells() - slots.first();
            if (stream < 0 || stream >= used.length || used[stream] == per) {
                throw new IllegalArgumentException("row " + r + " has no place in a graph of " + slots);
            }
            stepRow[stream * per + used[stream]++] = r;
        }
        return stepRow;
    }

    /**
     * The ring's mask F16 [swaWindow, tokens]: row r sees the cells of its sequence's slot holding
     * one of the last n_swa positions up to its own; padding rows see cell 0 only. In a graph
     * reading slots, column c of a row is cell c of its own slot's ring.
     */
    private void writeRingMask(MemorySegment maskTensor, GraphShape shape, Step step, int[] stepRow) {
        int w = (int) Tensors.ne(maskTensor, 0);
        long rowBytes = 2L * w;
        MemorySegment mask = target(maskTensor, rowBytes * shape.tokens());
        MemorySegment negInf = negInfRow(w);
        int per = ring.cellsPerSlot();
        for (int r = 0; r < shape.tokens(); r++) {
            MemorySegment row = mask.asSlice(r * rowBytes, rowBytes);
            MemorySegment.copy(negInf, 0, row, 0, rowBytes);
            int sr = stepRow[r];
            if (sr < 0) {
                row.setAtIndex(ValueLayout.JAVA_SHORT, 0, F16_ZERO);
                continue;
            }
            int slot = ring.slotOf(step, sr), pos = step.positions()[sr];
            int base = shape.slots().sliced() ? slot * per : 0;   // the first cell column 0 shows
            for (int c = slot * per, end = Math.min(base + w, c + per); c < end; c++) {
                if (ring.visible(c, slot, pos)) row.setAtIndex(ValueLayout.JAVA_SHORT, c - base, F16_ZERO);
            }
        }
        commit(maskTensor, mask);
    }

    /** Copies a small heap array into a tensor; an input no node reads has no memory and is skipped. */
    private void put(MemorySegment tensor, MemorySegment values) {
        if (!Tensors.isAllocated(tensor)) return;
        MemorySegment t = target(tensor, values.byteSize());
        MemorySegment.copy(values, 0, t, 0, values.byteSize());
        commit(tensor, t);
    }

    /**
     * Row r sees cells [visibleFrom, visibleTo] of the step, and of those only the last
     * {@code keys} (cells hold consecutive positions up to the row's own: llama.cpp's
     * is_masked_swa, standard type, hides a key when p1 - p0 >= n_swa). In a graph reading slots,
     * column c of a row is cell c of its own slot.
     */
    private void writeMask(MemorySegment maskTensor, GraphShape shape, Step step, int[] stepRow, int keys) {
        if (!Tensors.isAllocated(maskTensor)) return;   // where every layer slides, no layer reads the full mask
        int w = (int) Tensors.ne(maskTensor, 0);
        long rowBytes = 2L * w;
        MemorySegment mask = target(maskTensor, rowBytes * shape.tokens());
        MemorySegment negInf = negInfRow(w);
        KvSlots slots = shape.slots();
        int per = shape.tokensPerStream();
        for (int r = 0; r < shape.tokens(); r++) {
            MemorySegment row = mask.asSlice(r * rowBytes, rowBytes);
            MemorySegment.copy(negInf, 0, row, 0, rowBytes);
            int sr = stepRow[r];
            int base = slots.firstCell(r / per);
            int lo = sr >= 0 ? step.visibleFrom()[sr] - base : 0;
            int hi = sr >= 0 ? step.visibleTo()[sr] - base : 0;
            if (hi >= w || lo < 0 || lo > hi) throw new IllegalArgumentException("row " + r + " sees cells outside the window");
            lo = Math.max(lo, hi - keys + 1);
            row.asSlice(2L * lo, 2L * (hi - lo + 1)).fill((byte) F16_ZERO);
        }
        commit(maskTensor, mask);
    }

    /** Where to write {@code bytes} of {@code tensor}: its own memory on the CPU, else staging. */
    private MemorySegment target(MemorySegment tensor, long bytes) {
        if (writes == Writes.IN_PLACE) return Tensors.hostData(tensor, bytes);
        if (staging.byteSize() < bytes) staging = arena.allocate(Math.max(bytes, 2 * staging.byteSize()), 64);
        return staging.asSlice(0, bytes);
    }

    private void commit(MemorySegment tensor, MemorySegment written) {
        if (writes == Writes.STAGED) llama_h.ggml_backend_tensor_set(tensor, written, 0, written.byteSize());
    }

    private MemorySegment negInfRow(int window) {
        if (negInfRow.byteSize() < 2L * window) {
            negInfRow = arena.allocate(2L * window, 64);
            for (long i = 0; i < window; i++) negInfRow.setAtIndex(ValueLayout.JAVA_SHORT, i, F16_NEG_INF);
        }
        return negInfRow;
    }

    @Override
    public void close() {
        arena.close();
    }
}
