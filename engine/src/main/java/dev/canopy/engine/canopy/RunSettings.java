package dev.canopy.engine.canopy;

import dev.canopy.engine.runtime.WindowPolicy;
import dev.canopy.engine.sparse.SparseAttentionSettings;

/**
 * How a Canopy session runs.
 *
 * @param contextTokens KV cache cells
 * @param chunkTokens   prefill chunk size C
 * @param threads       CPU threads
 * @param kvType        ggml type of the KV rows (F16 like llama.cpp, F32, or Q8_0 / Q4_0: see
 *                      {@link dev.canopy.engine.KvPrecision})
 * @param windows       KV window buckets of the attention
 * @param attention     dense, or a sparse mode (dhsa, window, topk) with its budgets
 */
public record RunSettings(int contextTokens, int chunkTokens, int threads, int kvType, WindowPolicy windows,
                          SparseAttentionSettings attention) {
    public RunSettings {
        if (contextTokens < 1 || chunkTokens < 1 || threads < 1) throw new IllegalArgumentException("bad run settings");
        if (attention == null) attention = SparseAttentionSettings.dense();
        if (attention.mode().isSparse()) attention.budgetFor(chunkTokens); // a budget must hold a whole chunk's forced keys
    }

    /** Dense attention. */
    public RunSettings(int contextTokens, int chunkTokens, int threads, int kvType, WindowPolicy windows) {
        this(contextTokens, chunkTokens, threads, kvType, windows, SparseAttentionSettings.dense());
    }

    /**
     * KV cells to allocate for {@code tokens}: rounded up to a multiple of 256 like llama.cpp's KV
     * padding, so every attention window (a power of two from 256, or the whole cache) splits into
     * whole key blocks of the topk mode. The context limit stays {@code tokens}.
     */
    public static int paddedCells(int tokens) {
        return (tokens + 255) / 256 * 256;
    }

    public RunSettings withAttention(SparseAttentionSettings a) {
        return new RunSettings(contextTokens, chunkTokens, threads, kvType, windows, a);
    }
}
