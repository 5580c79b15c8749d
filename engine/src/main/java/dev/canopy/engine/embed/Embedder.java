package dev.canopy.engine.embed;

/**
 * Turns texts into unit-length vectors with a model's own context (its KV and compute buffers are
 * not any session's). Opened by {@link Embeddings#open()}; the caller owns it and closes it. One
 * thread at a time: {@link #embed} is synchronized by the implementations.
 */
public interface Embedder extends AutoCloseable {
    /** Length of every vector. */
    int dimensions();

    /** The most tokens one input may have (the embedding context: one input is pooled in one pass). */
    int maxTokens();

    /** How a sequence's hidden states become one vector, and why that pooling. */
    PoolingChoice pooling();

    /** The tokens {@link #embed} takes for {@code text}: the model's tokenizer, with its special tokens (BOS, CLS/SEP). */
    int[] tokenize(String text);

    /**
     * The L2-normalized embedding of {@code tokens} (1 to {@link #maxTokens()} of them; longer
     * throws {@link IllegalArgumentException}), as llama.cpp's server returns it to OpenAI clients.
     * One forward pass.
     */
    float[] embed(int[] tokens);

    @Override
    void close();
}
