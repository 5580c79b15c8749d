package dev.canopy.engine.speculative;

import java.util.random.RandomGenerator;

/**
 * The accept/reject rule of speculative sampling (Leviathan et al. 2023; Chen et al. 2023): a token
 * {@code x} proposed with draft probability {@code q(x)} is kept with probability
 * {@code min(1, p(x) / q(x))}, {@code p} being the target's distribution; otherwise the token is
 * drawn from {@code norm(max(0, p - q))}. Either way the token follows {@code p} exactly, whatever
 * the draft. A deterministic drafter (prompt lookup, a greedy draft model) is a point mass:
 * {@code x} is kept with probability {@code p(x)}, else a token is drawn from {@code p} without {@code x}.
 */
public final class SpeculativeSampling {
    private SpeculativeSampling() {}

    /** What the rule gave: the draft token confirmed, or the token to emit instead (and the draft ends). */
    public record Verdict(boolean accepted, int token) {}

    /** Judges the draft token {@code x}, proposed from {@code q}, against the target {@code p}. */
    public static Verdict judge(TokenDistribution p, TokenDistribution q, int x, RandomGenerator rng) {
        double px = p.probability(x), qx = q.probability(x);
        if (qx <= 0) throw new IllegalArgumentException("token " + x + " was proposed with draft probability 0");
        if (rng.nextDouble() < Math.min(1.0, px / qx)) return new Verdict(true, x);
        return new Verdict(false, residual(p, q).sample(rng));
    }

    /** {@code norm(max(0, p - q))}; {@code p} itself when nothing is left (p equal to q, so a rejection cannot happen but for rounding). */
    static TokenDistribution residual(TokenDistribution p, TokenDistribution q) {
        int[] ids = p.ids();
        double[] r = new double[ids.length];
        double sum = 0;
        for (int i = 0; i < ids.length; i++) {
            r[i] = Math.max(0, p.probs()[i] - q.probability(ids[i]));
            sum += r[i];
        }
        if (sum <= 0) return p;
        for (int i = 0; i < r.length; i++) r[i] /= sum;
        return new TokenDistribution(ids, r);
    }
}
