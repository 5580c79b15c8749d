package dev.canopy.engine.speculative;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Speculative sampling keeps the target's distribution: over many seeded draws on a vocabulary of 8
 * tokens, the tokens it gives pass a chi-square test against the target p (7 degrees of freedom,
 * critical value 24.32 at p = 0.001), whatever the draft q; the naive rule (always keep the draft)
 * fails the same test, so the test can tell.
 */
class SpeculativeSamplingTest {
    private static final int DRAWS = 20_000;
    private static final double CRITICAL_7_DOF_P001 = 24.322;
    private static final int[] IDS = {0, 1, 2, 3, 4, 5, 6, 7};
    private static final TokenDistribution P = new TokenDistribution(IDS, new double[] {0.30, 0.20, 0.15, 0.10, 0.10, 0.08, 0.05, 0.02});
    private static final TokenDistribution Q = new TokenDistribution(IDS, new double[] {0.05, 0.05, 0.10, 0.30, 0.05, 0.25, 0.10, 0.10});

    @Test
    void tokensFromADraftDistributionFollowTheTarget() {
        SplittableRandom rng = new SplittableRandom(20);
        long[] counts = new long[IDS.length];
        int accepted = 0;
        for (int i = 0; i < DRAWS; i++) {
            int x = Q.sample(rng);
            SpeculativeSampling.Verdict v = SpeculativeSampling.judge(P, Q, x, rng);
            if (v.accepted()) accepted++;
            counts[v.token()]++;
        }
        assertThat(chiSquare(counts, P)).isLessThan(CRITICAL_7_DOF_P001);
        // sum of min(p, q) = 0.05+0.05+0.10+0.10+0.05+0.08+0.05+0.02 = 0.50
        assertThat(accepted / (double) DRAWS).as("acceptance = sum of min(p, q)").isBetween(0.48, 0.52);
    }

    @Test
    void tokensFromADeterministicDraftFollowTheTarget() {
        SplittableRandom rng = new SplittableRandom(21);
        long[] counts = new long[IDS.length];
        for (int i = 0; i < DRAWS; i++) {
            int x = 3;                                            // prompt lookup: always the same proposal
            SpeculativeSampling.Verdict v = SpeculativeSampling.judge(P, TokenDistribution.pointMass(x), x, rng);
            counts[v.token()]++;
        }
        assertThat(chiSquare(counts, P)).isLessThan(CRITICAL_7_DOF_P001);
    }

    @Test
    void keepingEveryDraftTokenFailsTheSameTest() {
        SplittableRandom rng = new SplittableRandom(20);
        long[] naive = new long[IDS.length], noResidual = new long[IDS.length];
        for (int i = 0; i < DRAWS; i++) {
            int x = Q.sample(rng);
            naive[x]++;                                           // always accept
            SpeculativeSampling.Verdict v = SpeculativeSampling.judge(P, Q, x, rng);
            noResidual[v.accepted() ? x : P.sample(rng)]++;       // resample from p instead of norm(max(0, p - q))
        }
        assertThat(chiSquare(naive, P)).isGreaterThan(CRITICAL_7_DOF_P001);
        assertThat(chiSquare(noResidual, P)).isGreaterThan(CRITICAL_7_DOF_P001);
    }

    @Test
    void theSameSeedGivesTheSameTokens() {
        int[] a = draws(7), b = draws(7), c = draws(8);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void aTokenTheTargetExcludesIsNeverKept() {
        TokenDistribution topK = new TokenDistribution(new int[] {0, 1}, new double[] {0.6, 0.4});
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            SpeculativeSampling.Verdict v = SpeculativeSampling.judge(topK, TokenDistribution.pointMass(5), 5, rng);
            assertThat(v.accepted()).isFalse();
            assertThat(v.token()).isIn(0, 1);
        }
    }

    private static int[] draws(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] out = new int[200];
        for (int i = 0; i < out.length; i++) out[i] = SpeculativeSampling.judge(P, Q, Q.sample(rng), rng).token();
        return out;
    }

    private static double chiSquare(long[] counts, TokenDistribution p) {
        double chi = 0;
        for (int i = 0; i < counts.length; i++) {
            double expected = DRAWS * p.probability(i);
            chi += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        return chi;
    }
}
