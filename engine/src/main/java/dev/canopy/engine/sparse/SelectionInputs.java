package dev.canopy.engine.sparse;

import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.MemorySegment;

import static dev.canopy.natives.ffi.llama_h.*;

/**
 * The input tensors a sparse-attention graph reads besides Q, K, V and the mask: re-bound per run
 * (per prefill chunk or decoded token) by {@link SelectionInputWriter} and shared by every layer.
 * Which ones exist depends on the mode; the others are null. All borrowed from the graph's context.
 *
 * @param mode        the mode the graph really runs: {@link AttentionMode#DENSE} when the budget
 *                    covers the whole window (then sparse selection could only cost time)
 * @param budget      keys gathered per layer (0 for dense)
 * @param window      cells of the graph's KV window W
 * @param rowFrom     F32 [1, T]: first cell each query row may see (all sparse modes)
 * @param rowTo       F32 [1, T]: last cell each query row may see, its own (all sparse modes)
 * @param queryWeight F32 [T]: 1/sqrt(valid rows) on valid rows, 0 on padding (dhsa, topk)
 * @param tokenBias   F32 [W]: +1e30 forced, 0 candidate, -inf not visible (dhsa)
 * @param tokenChunk  I32 [W]: chunk id of every cell (dhsa)
 * @param chunkFirst  I32 [W]: first cell of every chunk (dhsa)
 * @param chunkLast   I32 [W]: last cell of every chunk (dhsa)
 * @param chunkScale  F32 [1, W]: 1/sqrt(chunk length) (dhsa)
 * @param windowCells I32 [budget]: the cells kept, ascending (window)
 * @param blockBias   F32 [W/B]: +1e30 forced, 0 candidate, -inf not visible, per key block (topk)
 * @param blockCells  I32 [B, W/B]: the cells of every key block (topk)
 */
public record SelectionInputs(AttentionMode mode, int budget, int window, MemorySegment rowFrom,
                              MemorySegment rowTo, MemorySegment queryWeight, MemorySegment tokenBias,
                              MemorySegment tokenChunk, MemorySegment chunkFirst, MemorySegment chunkLast,
                              MemorySegment chunkScale, MemorySegment windowCells, MemorySegment blockBias,
                              MemorySegment blockCells) {
    /** Added to the score of a key that must be kept. */
    public static final float FORCE = 1e30f;

    /** Creates (and marks as graph inputs) the tensors {@code settings} needs for a graph of {@code shape}. */
    public static SelectionInputs create(MemorySegment ctx0, SparseAttentionSettings settings, AttentionShape shape) {
        AttentionMode mode = effectiveMode(settings, shape);
        int w = shape.window();
        int t = shape.queryRows();
        return switch (mode) {
            case DENSE -> new SelectionInputs(mode, 0, w, null, null, null, null, null, null, null, null, null, null, null);
            case DHSA -> new SelectionInputs(mode, settings.budgetFor(t), w, rowFrom(ctx0, t), rowTo(ctx0, t),
                    input(ggml_new_tensor_1d(ctx0, GGML_TYPE_F32(), t), "sparse_q_weight"),
                    input(ggml_new_tensor_1d(ctx0, GGML_TYPE_F32(), w), "sparse_token_bias"),
                    input(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), w), "sparse_token_chunk"),
                    input(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), w), "sparse_chunk_first"),
                    input(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), w), "sparse_chunk_last"),
                    input(ggml_new_tensor_2d(ctx0, GGML_TYPE_F32(), 1, w), "sparse_chunk_scale"),
                    null, null, null);
            case WINDOW -> new SelectionInputs(mode, settings.budgetFor(t), w, rowFrom(ctx0, t), rowTo(ctx0, t),
                    null, null, null, null, null, null,
                    input(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), settings.budgetFor(t)), "sparse_window_cells"),
                    null, null);
            case TOPK -> {
                int b = settings.topkBlock();
                yield new SelectionInputs(mode, settings.budgetFor(t), w, rowFrom(ctx0, t), rowTo(ctx0, t),
                        input(ggml_new_tensor_1d(ctx0, GGML_TYPE_F32(), t), "sparse_q_weight"),
                        null, null, null, null, null, null,
                        input(ggml_new_tensor_1d(ctx0, GGML_TYPE_F32(), w / b), "sparse_block_bias"),
                        input(ggml_new_tensor_2d(ctx0, GGML_TYPE_I32(), b, w / b), "sparse_block_cells"));
            }
        };
    }

    /**
     * What a graph of {@code shape} really runs: dense when asked, or when the budget is not
     * smaller than the window (selection would keep every key).
     */
    public static AttentionMode effectiveMode(SparseAttentionSettings settings, AttentionShape shape) {
        if (!settings.mode().isSparse()) return AttentionMode.DENSE;
        int budget = settings.budgetFor(shape.queryRows());
        if (budget >= shape.window()) return AttentionMode.DENSE;
        if (settings.mode() == AttentionMode.TOPK && shape.window() % settings.topkBlock() != 0) {
            throw new IllegalArgumentException("topk needs a window that is a multiple of its block size "
                    + settings.topkBlock() + ", got " + shape.window());
        }
        return settings.mode();
    }

    /** Key block size of the topk mode (cells per row of {@link #blockCells}). */
    public int topkBlock() {
        return blockCells == null ? 0 : (int) Tensors.ne(blockCells, 0);
    }

    private static MemorySegment rowFrom(MemorySegment ctx0, int rows) {
        return input(ggml_new_tensor_2d(ctx0, GGML_TYPE_F32(), 1, rows), "sparse_row_from");
    }

    private static MemorySegment rowTo(MemorySegment ctx0, int rows) {
        return input(ggml_new_tensor_2d(ctx0, GGML_TYPE_F32(), 1, rows), "sparse_row_to");
    }

    private static MemorySegment input(MemorySegment t, String name) {
        ggml_set_input(t);
        return Tensors.named(t, name);
    }
}
