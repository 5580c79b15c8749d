package dev.canopy.kv;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static dev.canopy.kv.KvTestData.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Dense attention over the tiers is exact: with 10% of the KV in RAM, gathered rows equal the all-in-RAM ones bit for bit. */
class TieredExactnessTest {
    @TempDir Path dir;

    @ParameterizedTest(name = "hot {0}, cold {1}, simulated device tier {2}")
    @CsvSource({"F32, F32, false", "F16, F16, false", "F16, F16, true"})
    void tenPercentRamBudgetGathersTheSameBytes(KvType hot, KvType cold, boolean device) {
        int layers = 3;
        int tokens = 600;
        KvLayout l = layout(layers, 16, hot);
        KvBudgets small = new KvBudgets(device ? (long) (l.kvBytes(tokens) * 0.05) : 0, hostBudget(l, tokens, 0.10), KvBudgets.UNLIMITED, cold);
        TierDevices tiers = device ? TierDevices.simulatedDevice() : TierDevices.cpuOnly();
        try (KvStore ram = KvStore.create(spec(dir, "ram", l, KvBudgets.allInRam(cold)));
             KvStore tiered = KvStore.create(spec(dir, "tiered", l, small).withDevices(tiers))) {
            SplittableRandom r = new SplittableRandom(7);
            int step = 0;
            while (ram.tokenCount() < tokens) {
                int n = Math.min(tokens - ram.tokenCount(), ram.tokenCount() < 400 ? 1 + r.nextInt(60) : 1); // prefill chunks, then decode
                append(ram, 11, n);
                append(tiered, 11, n);
                if (step++ % 7 == 0 || ram.tokenCount() == tokens) {
                    for (int layer = 0; layer < layers; layer++) {
                        tiered.prefetchAhead(layer, 1);
                        byte[][] want = gatherAll(ram, layer);
                        byte[][] got = gatherAll(tiered, layer);
                        assertThat(got[0]).as("K of layer %d at %d tokens", layer, ram.tokenCount()).isEqualTo(want[0]);
                        assertThat(got[1]).as("V of layer %d at %d tokens", layer, ram.tokenCount()).isEqualTo(want[1]);
                    }
                }
            }
            KvStats st = tiered.stats();
            assertThat(st.hits(KvTier.DISK)).as("most pages were read from disk").isGreaterThan(st.hits(KvTier.HOST) / 2);
            assertThat(tiered.bytesPerTier()[1]).isLessThanOrEqualTo(small.hostBytes());
            if (device) assertThat(st.hits(KvTier.DEVICE)).isPositive();
            assertThat(ram.stats().hits(KvTier.DISK)).isZero();
        }
    }

    @org.junit.jupiter.api.Test
    void aKeptGatherBufferOnlyCopiesWhatChangedAndHoldsTheSameRows() {
        KvLayout l = layout(2, 16, KvType.F16);
        KvBudgets b = new KvBudgets(0, hostBudget(l, 400, 0.2), KvBudgets.UNLIMITED, KvType.F16);
        try (KvStore s = KvStore.create(spec(dir, "keep", l, b));
             GatherBuffer g0 = s.newGatherBuffer(600); GatherBuffer g1 = s.newGatherBuffer(600);
             java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            GatherBuffer[] kept = {g0, g1};
            SplittableRandom r = new SplittableRandom(5);
            append(s, 13, 300);
            for (int step = 0; step < 120; step++) {
                int what = r.nextInt(10);
                if (what == 0) s.truncate(s.tokenCount() - r.nextInt(1, 40));
                else if (what < 8) append(s, 13, 1);
                else append(s, 13, 1 + r.nextInt(30));
                for (int layer = 0; layer < 2; layer++) {
                    float[] q = new float[QUERY_HEADS * HEAD_DIM];
                    for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
                    int[] pages = r.nextInt(3) == 0 ? s.allPages(layer) : s.select(layer, q, 200, 16, 64);
                    Gathered got = s.materialize(layer, pages, kept[layer]);
                    var bytes = a.allocate(got.tokens() * kept[layer].rowBytes());
                    kept[layer].readKeys(got.tokens(), bytes);
                    byte[] keys = bytes.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    kept[layer].readValues(got.tokens(), bytes);
                    byte[] values = bytes.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    try (GatherBuffer fresh = s.newGatherBuffer(600)) {
                        s.materialize(layer, pages, fresh);
                        var f = a.allocate(got.tokens() * fresh.rowBytes());
                        fresh.readKeys(got.tokens(), f);
                        assertThat(keys).isEqualTo(f.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                        fresh.readValues(got.tokens(), f);
                        assertThat(values).isEqualTo(f.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                    }
                }
            }
            assertThat(s.stats().reusedPages()).isGreaterThan(s.stats().materializeCalls() * 3);
        }
    }
}
