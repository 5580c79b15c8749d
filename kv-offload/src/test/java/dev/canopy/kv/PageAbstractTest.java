package dev.canopy.kv;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static dev.canopy.kv.KvTestData.*;
import static org.assertj.core.api.Assertions.assertThat;

class PageAbstractTest {
    private static int seed;

    @RepeatedTest(50)
    void boundIsAnUpperBoundOfEveryKeysScore() {
        SplittableRandom r = new SplittableRandom(seed++);
        int kvHeads = 1 + r.nextInt(4);
        int group = 1 + r.nextInt(4);
        int headDim = 4 + r.nextInt(60);
        int channels = kvHeads * headDim;
        float[][] keys = new float[1 + r.nextInt(64)][channels];
        double scale = Math.exp(r.nextDouble(-3, 3));
        for (float[] k : keys) for (int i = 0; i < channels; i++) k[i] = (float) (r.nextGaussian() * scale + (r.nextBoolean() ? 0 : 2));
        PageAbstract a = PageAbstract.of(keys, channels);
        for (int trial = 0; trial < 20; trial++) {
            float[] q = new float[kvHeads * group * headDim];
            for (int i = 0; i < q.length; i++) q[i] = (float) (r.nextGaussian() * 3);
            double total = 0;
            for (int kv = 0; kv < kvHeads; kv++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int g = 0; g < group; g++) {
                    int qOff = (kv * group + g) * headDim;
                    double bound = a.headBound(q, qOff, kv, headDim);
                    for (float[] k : keys) {
                        double dot = 0;
                        for (int i = 0; i < headDim; i++) dot += (double) q[qOff + i] * k[kv * headDim + i];
                        assertThat(dot).isLessThanOrEqualTo(bound + 1e-9 * (1 + Math.abs(bound)));
                        best = Math.max(best, dot);
                    }
                }
                total += best;
            }
            assertThat(a.importanceBound(q, kvHeads * group, kvHeads)).isGreaterThanOrEqualTo(total - 1e-9 * (1 + Math.abs(total)));
        }
    }

    @Test
    void mergedBoundCoversBothParts() {
        SplittableRandom r = new SplittableRandom(3);
        float[][] k1 = new float[8][16];
        float[][] k2 = new float[8][16];
        for (int t = 0; t < 8; t++) for (int i = 0; i < 16; i++) { k1[t][i] = (float) r.nextGaussian(); k2[t][i] = (float) r.nextGaussian() + 1; }
        PageAbstract a = PageAbstract.of(k1, 16);
        PageAbstract b = PageAbstract.of(k2, 16);
        PageAbstract m = a.merge(b);
        float[] q = new float[32];
        for (int i = 0; i < 32; i++) q[i] = (float) r.nextGaussian();
        assertThat(m.importanceBound(q, 2, 1)).isGreaterThanOrEqualTo(Math.max(a.importanceBound(q, 2, 1), b.importanceBound(q, 2, 1)));
        assertThat(PageAbstract.unknown(16).importanceBound(q, 2, 1)).isInfinite();
    }

    @Test
    void storedAbstractsBoundTheKeysAsTheyComeBackFromQ8Disk(@TempDir Path dir) {
        KvLayout l = layout(1, 16, KvType.F16);
        KvBudgets b = new KvBudgets(0, hostBudget(l, 128, 0.0), KvBudgets.UNLIMITED, KvType.Q8_0);
        try (KvStore s = KvStore.create(spec(dir, "q8abs", l, b))) {
            append(s, 5, 128);
            float[] keys = floats(gatherAll(s, 0)[0], KvType.F16); // mostly decoded from Q8_0
            SplittableRandom r = new SplittableRandom(9);
            for (int p = 0; p < s.pageCount(0); p++) {
                PageAbstract a = s.pageAbstract(0, p);
                for (int t = p * 16; t < p * 16 + 16; t++) {
                    for (int c = 0; c < ROW; c++) {
                        assertThat(keys[t * ROW + c]).isBetween(a.min()[c], a.max()[c]);
                    }
                }
                float[] q = new float[QUERY_HEADS * HEAD_DIM];
                for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
                assertThat(a.importanceBound(q, QUERY_HEADS, KV_HEADS)).isFinite();
            }
        }
    }
}
