package dev.canopy.engine.speculative;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A distribution over some tokens: those the sampler's transformations keep (top-k, top-p, min-p),
 * with their probabilities after the temperature. Tokens not listed have probability 0.
 *
 * @param ids   the tokens, each once
 * @param probs their probabilities, summing to 1
 */
public record TokenDistribution(int[] ids, double[] probs) {
    public TokenDistribution {
        if (ids.length != probs.length) throw new IllegalArgumentException("one probability per token");
        if (ids.length == 0) throw new IllegalArgumentException("a distribution needs at least one token");
    }

    /** The softmax of {@code logits[0..n)} (already transformed by the sampler) over {@code ids[0..n)}. */
    public static TokenDistribution softmax(int[] ids, float[] logits, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[i]);
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < n; i++) p[i] /= sum;
        return new TokenDistribution(Arrays.copyOf(ids, n), p);
    }

    /** All probability on {@code token}: a drafter that proposes deterministically (prompt lookup, a greedy draft model). */
    public static TokenDistribution pointMass(int token) {
        return new TokenDistribution(new int[] {token}, new double[] {1.0});
    }

    /** The probability of {@code token} (0 when it is not listed). */
    public double probability(int token) {
        for (int i = 0; i < ids.length; i++) if (ids[i] == token) return probs[i];
        return 0;
    }

    /** A token drawn with these probabilities. */
    public int sample(RandomGenerator rng) {
        double u = rng.nextDouble();
        double acc = 0;
        for (int i = 0; i < ids.length; i++) {
            acc += probs[i];
            if (u < acc) return ids[i];
        }
        for (int i = ids.length - 1; i >= 0; i--) if (probs[i] > 0) return ids[i]; // rounding left u above the sum
        return ids[ids.length - 1];
    }
}
