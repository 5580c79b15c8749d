package dev.canopy.natives.llama;

/**
 * How libllama sizes a context.
 *
 * @param contextTokens KV cache size in tokens (0 = the model's training context)
 * @param batchTokens   the most tokens one {@code decode} call may take
 * @param sequences     how many independent sequences may share the context
 * @param threads       CPU threads (0 = all available processors)
 */
public record ContextParams(int contextTokens, int batchTokens, int sequences, int threads) {
    public static ContextParams of(int contextTokens) {
        return new ContextParams(contextTokens, 512, 1, 0);
    }

    public ContextParams withBatch(int tokens) {
        return new ContextParams(contextTokens, tokens, sequences, threads);
    }

    public ContextParams withSequences(int n) {
        return new ContextParams(contextTokens, batchTokens, n, threads);
    }

    public ContextParams withThreads(int n) {
        return new ContextParams(contextTokens, batchTokens, sequences, n);
    }

    int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
