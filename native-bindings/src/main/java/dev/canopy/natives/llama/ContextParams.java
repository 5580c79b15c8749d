package dev.canopy.natives.llama;

/**
 * How libllama sizes a context.
 *
 * @param contextTokens KV cache size in tokens (0 = the model's training context)
 * @param batchTokens   the most tokens one {@code decode} call may take
 * @param sequences     how many independent sequences may share the context
 * @param threads       CPU threads (0 = all available processors)
 * @param swaFull       sliding-window layers keep the whole context's KV (llama.cpp's default,
 *                      {@code swa_full}); false: only n_swa + n_ubatch cells, padded to 256
 * @param kvOnGpu       the KV of GPU layers lives in GPU memory and attention runs there (llama.cpp's
 *                      default, {@code offload_kqv}); false: the KV stays in host memory and attention
 *                      runs on the CPU, like llama.cpp's {@code --no-kv-offload}
 * @param kvType        ggml type of the KV cache's K and V ({@code type_k}, {@code type_v}): F16 by
 *                      default; a quantized type (Q8_0, Q4_0) turns flash attention on, which
 *                      llama.cpp needs to read a quantized V
 */
public record ContextParams(int contextTokens, int batchTokens, int sequences, int threads, boolean swaFull, boolean kvOnGpu,
                            int kvType) {
    /** With llama.cpp's defaults: full-size sliding-window KV, the KV of GPU layers on the GPU, F16 KV. */
    public ContextParams(int contextTokens, int batchTokens, int sequences, int threads) {
        this(contextTokens, batchTokens, sequences, threads, true, true, dev.canopy.natives.ffi.llama_h.GGML_TYPE_F16());
    }

    public static ContextParams of(int contextTokens) {
        return new ContextParams(contextTokens, 512, 1, 0);
    }

    public ContextParams withSwaFull(boolean full) {
        return new ContextParams(contextTokens, batchTokens, sequences, threads, full, kvOnGpu, kvType);
    }

    public ContextParams withBatch(int tokens) {
        return new ContextParams(contextTokens, tokens, sequences, threads, swaFull, kvOnGpu, kvType);
    }

    public ContextParams withSequences(int n) {
        return new ContextParams(contextTokens, batchTokens, n, threads, swaFull, kvOnGpu, kvType);
    }

    public ContextParams withThreads(int n) {
        return new ContextParams(contextTokens, batchTokens, sequences, n, swaFull, kvOnGpu, kvType);
    }

    /** {@code false}: llama.cpp's {@code --no-kv-offload} (KV in host memory, attention on the CPU). */
    public ContextParams withKvOnGpu(boolean onGpu) {
        return new ContextParams(contextTokens, batchTokens, sequences, threads, swaFull, onGpu, kvType);
    }

    /** The KV cache in ggml type {@code type} (F16, Q8_0, Q4_0, ...). */
    public ContextParams withKvType(int type) {
        return new ContextParams(contextTokens, batchTokens, sequences, threads, swaFull, kvOnGpu, type);
    }

    int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
