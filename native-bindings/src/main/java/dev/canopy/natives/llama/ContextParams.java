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
 */
public record ContextParams(int contextTokens, int batchTokens, int sequences, int threads, boolean swaFull) {
    /** With llama.cpp's default full-size sliding-window KV. */
    public ContextParams(int contextTokens, int batchTokens, int sequences, int threads) {
        this(contextTokens, batchTokens, sequences, threads, true);
    }

    public static ContextParams of(int contextTokens) {
        return new ContextParams(contextTokens, 512, 1, 0);
    }

    public ContextParams withSwaFull(boolean full) {
        return new ContextParams(contextTokens, batchTokens, sequences, threads, full);
    }

    public ContextParams withBatch(int tokens) {
        return new ContextParams(contextTokens, tokens, sequences, threads, swaFull);
    }

    public ContextParams withSequences(int n) {
        return new ContextParams(contextTokens, batchTokens, n, threads, swaFull);
    }

    public ContextParams withThreads(int n) {
        return new ContextParams(contextTokens, batchTokens, sequences, n, swaFull);
    }

    int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
