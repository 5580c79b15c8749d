package dev.canopy.kv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static dev.canopy.kv.KvTestData.*;
import static org.assertj.core.api.Assertions.assertThat;

class SelectTest {
    @TempDir Path dir;

    @Test
    void sinkAndWindowAreAlwaysSelectedAndTheBudgetHolds() {
        KvLayout l = layout(1, 16, KvType.F32);
        try (KvStore s = KvStore.create(spec(dir, "sel", l, KvBudgets.allInRam(KvType.F32)))) {
            SplittableRandom r = new SplittableRandom(1);
            append(s, 6, 1);
            for (int i = 0; i < 300; i++) {
                if (r.nextInt(3) == 0) append(s, 6, 1 + r.nextInt(20));
                int n = s.tokenCount();
                int sink = r.nextInt(40);
                int window = r.nextInt(80);
                int budget = r.nextInt(n + 20);
                int[] pages = s.select(0, query(r), budget, sink, window);
                assertThat(pages).isSorted().doesNotHaveDuplicates();
                List<Integer> sel = Arrays.stream(pages).boxed().toList();
                for (int p = 0; p < s.pageCount(0); p++) {
                    PageRef ref = s.page(0, p);
                    boolean inSink = ref.firstPosition() < Math.min(sink, n);
                    boolean inWindow = window > 0 && ref.endPosition() > n - window;
                    if (inSink || inWindow || budget >= n) assertThat(sel).as("page %d, sink %d window %d", p, sink, window).contains(p);
                }
                long mandatory = 0;
                long selected = 0;
                for (int p : pages) {
                    PageRef ref = s.page(0, p);
                    selected += ref.tokens();
                    if (ref.firstPosition() < Math.min(sink, n) || (window > 0 && ref.endPosition() > n - window)) mandatory += ref.tokens();
                }
                assertThat(selected).isLessThanOrEqualTo(Math.max(budget, mandatory));
            }
        }
    }

    @Test
    void chunkedSelectionEqualsScoringEveryPageAndChunksGrowOnConcentratedLayers() {
        KvLayout l = layout(1, 8, KvType.F32);
        try (KvStore s = KvStore.create(spec(dir, "bb", l, KvBudgets.allInRam(KvType.F32)))) {
            append(s, 8, 800); // 100 pages
            SplittableRandom r = new SplittableRandom(2);
            float[] focus = query(r);
            for (int step = 0; step < 60; step++) {
                float[] q = focus.clone();
                for (int i = 0; i < q.length; i++) q[i] += (float) (r.nextGaussian() * 0.05); // a slowly varying query
                int budget = 80;
                int[] got = s.select(0, q, budget, 8, 16);
                assertThat(got).containsExactly(bruteForce(s, q, budget, 8, 16));
            }
            assertThat(s.meanChunkPages(0)).as("cold pages merged into chunks").isGreaterThan(3.0);
        }
    }

    @Test
    void findsThePlantedNeedle() {
        KvLayout l = layout(1, 16, KvType.F32);
        try (KvStore s = KvStore.create(spec(dir, "needle", l, KvBudgets.allInRam(KvType.F32)))) {
            SplittableRandom r = new SplittableRandom(4);
            float[] q = query(r);
            int needle = 1234;
            for (int pos = 0; pos < 2048; pos++) {
                float[] k = row(12, 0, pos, false);
                for (int i = 0; i < ROW; i++) k[i] *= 0.1f;
                if (pos == needle) for (int kv = 0; kv < KV_HEADS; kv++) for (int d = 0; d < HEAD_DIM; d++) k[kv * HEAD_DIM + d] = 3 * q[kv * 2 * HEAD_DIM + d];
                s.addTokens(pos);
                s.append(0, pos, 1, MemorySegment.ofArray(k), MemorySegment.ofArray(row(12, 0, pos, true)), KvType.F32);
            }
            int[] pages = s.select(0, q, 64, 16, 16);
            assertThat(pages).contains(needle / 16).hasSizeLessThanOrEqualTo(4);
        }
    }

    private static float[] query(SplittableRandom r) {
        float[] q = new float[QUERY_HEADS * HEAD_DIM];
        for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
        return q;
    }

    private static int[] bruteForce(KvStore s, float[] q, int budget, int sink, int window) {
        int n = s.tokenCount();
        List<Integer> chosen = new ArrayList<>();
        List<Integer> rest = new ArrayList<>();
        long used = 0;
        for (int p = 0; p < s.pageCount(0); p++) {
            PageRef ref = s.page(0, p);
            if (ref.firstPosition() < sink || ref.endPosition() > n - window) {
                chosen.add(p);
                used += ref.tokens();
            } else {
                rest.add(p);
            }
        }
        rest.sort(Comparator.comparingDouble((Integer p) -> -s.pageAbstract(0, p).importanceBound(q, QUERY_HEADS, KV_HEADS)));
        for (int p : rest) {
            int t = s.page(0, p).tokens();
            if (used + t <= budget) {
                chosen.add(p);
                used += t;
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
