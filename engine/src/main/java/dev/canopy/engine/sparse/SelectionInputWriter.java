package dev.canopy.engine.sparse;

import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Writes one query block's selection inputs (bias vectors, chunk map, window cells) into a graph's
 * {@link SelectionInputs}. This is the only host work per run; every layer then selects inside
 * the graph. Works on any backend (through ggml_backend_tensor_set). Owns its staging memory.
 */
public final class SelectionInputWriter implements AutoCloseable {
    private final Arena arena = Arena.ofShared(); // owned: staging for the host arrays
    private final int sink;
    private final int window;
    private MemorySegment staging = MemorySegment.NULL;

    public SelectionInputWriter(SparseAttentionSettings settings) {
        this.sink = settings.sink();
        this.window = settings.window();
    }

    /**
     * Binds the inputs of {@code in} for {@code block}; {@code chunks} is the DHSA chunk map of
     * the graph's window (ignored by the other modes, may be null for them).
     */
    public void write(SelectionInputs in, QueryBlock block, ChunkMap chunks) {
        if (in.mode() == AttentionMode.DENSE) return;
        int graphRows = (int) Tensors.ne(in.rowFrom(), 1);
        put(in.rowFrom(), rowBounds(graphRows, block, false));
        put(in.rowTo(), rowBounds(graphRows, block, true));
        switch (in.mode()) {
            case DENSE -> { }
            case DHSA -> {
                if (chunks == null) throw new IllegalArgumentException("dhsa needs a chunk map");
                put(in.queryWeight(), queryWeights(rows(in.queryWeight()), block));
                put(in.tokenBias(), tokenBias(chunks.window(), block));
                put(in.tokenChunk(), chunks.tokenChunk());
                put(in.chunkFirst(), chunks.chunkFirst());
                put(in.chunkLast(), chunks.chunkLast());
                put(in.chunkScale(), chunks.chunkScale());
            }
            case WINDOW -> put(in.windowCells(), windowCells(in.budget(), in.window(), block));
            case TOPK -> {
                int b = in.topkBlock();
                int blocks = rows(in.blockBias());
                put(in.queryWeight(), queryWeights(rows(in.queryWeight()), block));
                put(in.blockBias(), blockBias(blocks, b, block));
                int[] cells = new int[blocks * b];
                for (int i = 0; i < cells.length; i++) cells[i] = i;
                put(in.blockCells(), cells);
            }
        }
    }

    /**
     * The cells each query row may see, as floats (exact below 2^24): valid row r sees
     * seqStart..firstCell+r (causal), a padding row sees seqStart only.
     */
    static float[] rowBounds(int graphRows, QueryBlock block, boolean last) {
        float[] b = new float[graphRows];
        for (int r = 0; r < graphRows; r++) b[r] = last && r < block.rows() ? block.firstCell() + r : block.seqStart();
        return b;
    }

    /** 1/sqrt(valid rows) on the block's valid rows, 0 on padding rows. */
    static float[] queryWeights(int graphRows, QueryBlock block) {
        float[] w = new float[graphRows];
        Arrays.fill(w, 0, Math.min(block.rows(), graphRows), (float) (1.0 / Math.sqrt(block.rows())));
        return w;
    }

    /** Per cell: +FORCE for the sink, local window and block, 0 for other visible cells, -inf otherwise. */
    float[] tokenBias(int cells, QueryBlock block) {
        float[] bias = new float[cells];
        for (int c = 0; c < cells; c++) {
            bias[c] = !block.visible(c) ? Float.NEGATIVE_INFINITY : block.forced(c, sink, window) ? SelectionInputs.FORCE : 0f;
        }
        return bias;
    }

    /** Per key block of {@code size} cells: forced if it holds a forced cell, candidate if it holds a visible one. */
    float[] blockBias(int blocks, int size, QueryBlock block) {
        float[] bias = new float[blocks];
        for (int b = 0; b < blocks; b++) {
            float v = Float.NEGATIVE_INFINITY;
            for (int c = b * size; c < (b + 1) * size; c++) {
                if (block.forced(c, sink, window)) { v = SelectionInputs.FORCE; break; }
                if (block.visible(c)) v = 0f;
            }
            bias[b] = v;
        }
        return bias;
    }

    /**
     * The window mode's cells, ascending: the sink and then the most recent visible cells up to
     * {@code budget} in all; when fewer cells are visible, the rest are invisible cells (the mask
     * hides them) so that no key is ever counted twice.
     */
    int[] windowCells(int budget, int cells, QueryBlock block) {
        boolean[] keep = new boolean[cells];
        int n = 0;
        for (int c = block.seqStart(); c < Math.min(block.seqStart() + sink, block.lastCell() + 1) && n < budget; c++, n++) keep[c] = true;
        for (int c = block.lastCell(); c >= block.seqStart() && n < budget; c--) if (!keep[c]) { keep[c] = true; n++; }
        for (int c = 0; c < cells && n < budget; c++) if (!keep[c]) { keep[c] = true; n++; }
        int[] out = new int[budget];
        for (int c = 0, i = 0; c < cells; c++) if (keep[c]) out[i++] = c;
        return out;
    }

    /** Elements of a 1-D input tensor. */
    private static int rows(MemorySegment t) {
        return (int) Tensors.ne(t, 0);
    }

    // an input no node of the graph reads has no memory: ggml_backend_tensor_set would abort the process
    private void put(MemorySegment tensor, int[] values) {
        if (!Tensors.isAllocated(tensor)) return;
        MemorySegment s = stage(4L * values.length);
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_INT, 0, values.length);
        llama_h.ggml_backend_tensor_set(tensor, s, 0, s.byteSize());
    }

    private void put(MemorySegment tensor, float[] values) {
        if (!Tensors.isAllocated(tensor)) return;
        MemorySegment s = stage(4L * values.length);
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_FLOAT, 0, values.length);
        llama_h.ggml_backend_tensor_set(tensor, s, 0, s.byteSize());
    }

    private MemorySegment stage(long bytes) {
        if (staging.byteSize() < bytes) staging = arena.allocate(Math.max(bytes, 2 * staging.byteSize()), 64);
        return staging.asSlice(0, bytes);
    }

    @Override
    public void close() {
        arena.close();
    }
}
