package dev.canopy.engine.llama;

import dev.canopy.engine.embed.Embedder;
import dev.canopy.engine.embed.PoolingChoice;
import dev.canopy.natives.llama.ContextParams;
import dev.canopy.natives.llama.LlamaBatch;
import dev.canopy.natives.llama.LlamaContext;
import dev.canopy.natives.llama.LlamaModel;

/**
 * Embeds through libllama: a context of its own with embeddings on and the chosen pooling, one
 * input per decode (the whole input in one micro-batch, so it is pooled whole), the KV forgotten
 * before each input, the pooled vector L2-normalized as llama.cpp's server does for OpenAI clients.
 * Owns its context; borrows the model. Any thread may call it (one at a time): each input's batch
 * is made and freed by the thread that embeds it, since a batch's arena is confined to its thread.
 */
public final class LlamaEmbedder implements Embedder {
    /** The longest input: the context and micro-batch of an embedder, whose compute buffers grow with it. */
    public static final int MAX_TOKENS = 2048;

    private final LlamaModel model;           // borrowed
    private final LlamaTokenizer tokenizer;   // over the borrowed model's vocabulary
    private final PoolingChoice pooling;
    private final LlamaContext context;       // owned
    private final int tokens;
    private boolean closed;

    private LlamaEmbedder(LlamaModel model, PoolingChoice pooling, LlamaContext context, int tokens) {
        this.model = model;
        this.tokenizer = new LlamaTokenizer(model.vocab());
        this.pooling = pooling;
        this.context = context;
        this.tokens = tokens;
    }

    /**
     * An embedder over {@code model} (borrowed: it must outlive the embedder) taking inputs of up to
     * min({@code contextTokens}, {@link #MAX_TOKENS}) tokens, computing on {@code threads} threads.
     */
    public static LlamaEmbedder open(LlamaModel model, PoolingChoice pooling, int contextTokens, int threads) {
        int n = Math.max(1, Math.min(contextTokens, MAX_TOKENS));
        LlamaContext context = LlamaContext.forEmbeddings(model, new ContextParams(n, n, 1, threads), pooling.pooling());
        if (context.pooling() != pooling.pooling()) {
            context.close();
            throw new IllegalStateException("libllama pools with " + context.pooling() + ", not " + pooling.pooling());
        }
        return new LlamaEmbedder(model, pooling, context, n);
    }

    @Override public int dimensions() { return model.embeddingOutput(); }
    @Override public int maxTokens() { return tokens; }
    @Override public PoolingChoice pooling() { return pooling; }

    @Override
    public int[] tokenize(String text) {
        return tokenizer.encode(text, true);
    }

    @Override
    public synchronized float[] embed(int[] input) {
        if (closed) throw new IllegalStateException("the embedder is closed");
        if (input.length == 0 || input.length > tokens) {
            throw new IllegalArgumentException("an input of " + input.length + " tokens; this embedder takes 1 to " + tokens);
        }
        context.clearMemory();
        try (LlamaBatch batch = new LlamaBatch(input.length, 1)) {
            for (int i = 0; i < input.length; i++) batch.add(input[i], i, true, 0);
            context.decode(batch);
        }
        return normalized(context.sequenceEmbedding(0));
    }

    /** {@code v} scaled to unit Euclidean length (a zero vector stays zero), like llama.cpp's common_embd_normalize with norm 2. */
    static float[] normalized(float[] v) {
        double sum = 0;
        for (float x : v) sum += (double) x * x;
        double scale = sum > 0 ? 1.0 / Math.sqrt(sum) : 0;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] * scale);
        return out;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        context.close();
    }
}
