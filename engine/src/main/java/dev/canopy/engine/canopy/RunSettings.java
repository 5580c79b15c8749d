package dev.canopy.engine.canopy;

import dev.canopy.engine.runtime.WindowPolicy;

/**
 * How a Canopy session runs.
 *
 * @param contextTokens KV cache cells
 * @param chunkTokens   prefill chunk size C
 * @param threads       CPU threads
 * @param kvType        ggml type of the KV rows (F16 like llama.cpp, or F32)
 * @param windows       KV window buckets of the attention
 */
public record RunSettings(int contextTokens, int chunkTokens, int threads, int kvType, WindowPolicy windows) {
    public RunSettings {
        if (contextTokens < 1 || chunkTokens < 1 || threads < 1) throw new IllegalArgumentException("bad run settings");
    }
}
