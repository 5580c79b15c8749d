package dev.canopy.engine.batch;

import dev.canopy.natives.llama.LlamaSampler;
import dev.canopy.natives.llama.LlamaVocab;
import dev.canopy.natives.llama.SamplerSettings;

/**
 * Picks the next token from logits computed by either engine (Canopy's graph, or libllama's logits
 * copied out by the step loop). Plain greedy decoding is an argmax in Java (the same first-maximum rule as libllama's greedy sampler, without copying the logits to
 * native memory); everything else goes through libllama's sampler chain. Owns the chain.
 */
public final class TokenSampler implements AutoCloseable {
    private final LlamaSampler chain; // owned; null for plain greedy

    private TokenSampler(LlamaSampler chain) {
        this.chain = chain;
    }

    public static TokenSampler create(LlamaVocab vocab, SamplerSettings s) {
        boolean plainGreedy = s.temperature() <= 0f && !s.penalized() && !s.constrained();
        return new TokenSampler(plainGreedy ? null : LlamaSampler.create(vocab, s));
    }

    /** Tells the chain about a prompt token (for repetition penalties). */
    public void accept(int token) {
        if (chain != null) chain.accept(token);
    }

    /** Whether picks are a plain argmax with no state (no penalties, grammar or randomness). */
    public boolean plainGreedy() {
        return chain == null;
    }

    public int sample(float[] logits) {
        return chain == null ? argmax(logits) : chain.sample(logits);
    }

    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    @Override
    public void close() {
        if (chain != null) chain.close();
    }
}
