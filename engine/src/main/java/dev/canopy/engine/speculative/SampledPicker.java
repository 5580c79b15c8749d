package dev.canopy.engine.speculative;

import dev.canopy.natives.llama.LlamaSampler;
import dev.canopy.natives.llama.SamplerSettings;

import java.util.SplittableRandom;

/**
 * Speculative sampling over the target's distribution after the sampler's own transformations
 * (top-k, top-p, min-p, temperature: libllama's chain without its pick), with a generator seeded
 * from the request's seed, so the same seed gives the same tokens. Drafts are deterministic (prompt
 * lookup, a greedy draft model): a point mass, {@link SpeculativeSampling}. Owns the native chain.
 */
public final class SampledPicker implements TokenPicker, AutoCloseable {
    private final LlamaSampler transforms;
    private final SplittableRandom rng;
    private int[] ids = new int[0];
    private float[] kept = new float[0];

    /** For sampling settings without penalties or grammar ({@link #applies}). */
    public SampledPicker(SamplerSettings s) {
        this.transforms = LlamaSampler.transforms(s);
        this.rng = new SplittableRandom(s.seed());
    }

    /** Whether these settings can be sampled speculatively: a temperature, no penalties, no grammar. */
    public static boolean applies(SamplerSettings s) {
        return s.temperature() > 0f && !s.penalized() && !s.constrained();
    }

    /** The target's distribution after {@code logits}. */
    public TokenDistribution distribution(float[] logits) {
        if (ids.length < logits.length) {
            ids = new int[logits.length];
            kept = new float[logits.length];
        }
        int n = transforms.transform(logits, ids, kept);
        return TokenDistribution.softmax(ids, kept, n);
    }

    @Override
    public int pick(float[] logits) {
        return distribution(logits).sample(rng);
    }

    @Override
    public SpeculativeSampling.Verdict judge(float[] logits, int drafted) {
        return SpeculativeSampling.judge(distribution(logits), TokenDistribution.pointMass(drafted), drafted, rng);
    }

    @Override
    public void close() {
        transforms.close();
    }
}
