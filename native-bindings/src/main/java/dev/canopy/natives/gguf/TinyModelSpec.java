package dev.canopy.natives.gguf;

/**
 * The shape of a small random-weight model of a real architecture, for tests and self-tests.
 *
 * @param arch        {@code llama}, {@code qwen2} (Q/K/V biases) or {@code qwen3} (Q/K RMS norms)
 * @param embedding   hidden size
 * @param layers      transformer blocks
 * @param heads       query heads
 * @param kvHeads     key/value heads (grouped-query attention when fewer than heads)
 * @param feedForward FFN inner size
 * @param context     training context length written to the file
 * @param type        type of the matrices (norms and biases stay F32)
 * @param seed        random seed: same spec, same bytes
 * @param ropeScale   {@code rope.scaling.factor} written without a {@code rope.scaling.type} (llama.cpp
 *                    then reads linear scaling); 0 writes neither key
 */
public record TinyModelSpec(String arch, int embedding, int layers, int heads, int kvHeads,
                            int feedForward, int context, GgmlType type, long seed, float ropeScale) {

    /** A 2-layer, 64-wide model with 4 query and 2 KV heads: loads and runs in milliseconds. */
    public static TinyModelSpec tiny(String arch) {
        return new TinyModelSpec(arch, 64, 2, 4, 2, 128, 4096, GgmlType.F32, 42, 0f);
    }

    /**
     * Llama-3.2-1B's shape (2,048 wide, 16 layers, 32 query and 8 KV heads, FFN 8,192), F16, with
     * the 32,000-token vocabulary of the tiny models and a 128K training context: about 1.1B
     * random weights, for GPU benchmarks at long context.
     */
    public static TinyModelSpec oneBillion(String arch) {
        return new TinyModelSpec(arch, 2048, 16, 32, 8, 8192, 131072, GgmlType.F16, 42, 0f);
    }

    public TinyModelSpec withContext(int tokens) {
        return new TinyModelSpec(arch, embedding, layers, heads, kvHeads, feedForward, tokens, type, seed, ropeScale);
    }

    public TinyModelSpec withType(GgmlType t) {
        return new TinyModelSpec(arch, embedding, layers, heads, kvHeads, feedForward, context, t, seed, ropeScale);
    }

    public TinyModelSpec withShape(int embedding, int layers, int heads, int kvHeads, int feedForward) {
        return new TinyModelSpec(arch, embedding, layers, heads, kvHeads, feedForward, context, type, seed, ropeScale);
    }

    public TinyModelSpec withSeed(long s) {
        return new TinyModelSpec(arch, embedding, layers, heads, kvHeads, feedForward, context, type, s, ropeScale);
    }

    public TinyModelSpec withRopeScale(float factor) {
        return new TinyModelSpec(arch, embedding, layers, heads, kvHeads, feedForward, context, type, seed, factor);
    }

    public int headDim() {
        return embedding / heads;
    }
}
