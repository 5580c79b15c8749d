package dev.canopy.kv;

import dev.canopy.kv.tier.PageStore;
import dev.canopy.kv.tier.DiskTier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static dev.canopy.kv.KvTestData.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Random appends, selections, gathers, prefetches, truncations and saves never exceed a tier's budget, and data stays exact. */
class BudgetPropertyTest {
    private static int run;

    @TempDir Path dir;

    @RepeatedTest(6)
    void budgetsAreNeverExceeded() throws Exception {
        SplittableRandom r = new SplittableRandom(100 + run++);
        int layers = 1 + r.nextInt(3);
        int pageTokens = 4 + r.nextInt(20);
        KvLayout l = layout(layers, pageTokens, KvType.F32);
        boolean device = r.nextBoolean();
        long slot = PageStore.hotSlotBytes(l);
        KvBudgets b = new KvBudgets(device ? slot * r.nextInt(1, 12) : 0, slot * (layers + r.nextInt(0, 10)) + r.nextInt(1000),
                slot * 2000L, KvType.F32);
        KvStoreSpec spec = spec(dir, "p" + run, l, b).withDevices(device ? TierDevices.simulatedDevice() : TierDevices.cpuOnly());
        long seed = r.nextLong(1000);
        try (KvStore s = KvStore.create(spec); GatherBuffer g = s.newGatherBuffer(4000)) {
            for (int op = 0; op < 150; op++) {
                int what = r.nextInt(10);
                if (what < 4 || s.tokenCount() == 0) {
                    append(s, seed, 1 + r.nextInt(r.nextBoolean() ? 3 : 60));
                } else if (what < 7) {
                    int layer = r.nextInt(layers);
                    float[] q = new float[QUERY_HEADS * HEAD_DIM];
                    for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
                    int[] pages = s.select(layer, q, r.nextInt(1 + s.tokenCount()), r.nextInt(20), r.nextInt(40));
                    s.prefetchAhead(layer, 1 + r.nextInt(2));
                    Gathered got = s.materialize(layer, pages, g);
                    checkRows(s, g, got, seed);
                } else if (what == 7) {
                    s.prefetch(r.nextInt(layers), s.allPages(r.nextInt(layers)).length > 0 ? new int[] {0} : new int[0]);
                } else if (what == 8 && s.tokenCount() > 10) {
                    s.truncate(s.tokenCount() - r.nextInt(1, 10)); // rows are a function of position: re-appending restores them
                } else {
                    s.save();
                }
                long[] held = s.bytesPerTier();
                assertThat(held[0]).as("device bytes").isLessThanOrEqualTo(b.deviceBytes());
                assertThat(held[1]).as("host bytes").isLessThanOrEqualTo(b.hostBytes());
                assertThat(held[2]).as("disk bytes").isLessThanOrEqualTo(b.diskBytes());
                assertThat(Files.size(spec.pageFile())).isLessThanOrEqualTo(b.diskBytes());
            }
            for (int layer = 0; layer < layers; layer++) checkRows(s, g, s.materialize(layer, s.allPages(layer), g), seed);
        }
    }

    private static void checkRows(KvStore s, GatherBuffer g, Gathered got, long seed) {
        try (var a = java.lang.foreign.Arena.ofConfined()) {
            var k = a.allocate(Math.max(1, got.tokens() * g.rowBytes()));
            g.readKeys(got.tokens(), k);
            float[] keys = k.toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
            int[] pos = got.positions();
            for (int i = 0; i < pos.length; i += Math.max(1, pos.length / 17)) {
                float[] want = row(seed, got.layer(), pos[i], false);
                float[] have = java.util.Arrays.copyOfRange(keys, i * ROW, i * ROW + ROW);
                assertThat(have).as("row of position %d", pos[i]).containsExactly(want);
            }
        }
    }

    @Test
    void aFullPageFileIsReportedNotOverrun() {
        KvLayout l = layout(1, 8, KvType.F16);
        long slotOnDisk = DiskTier.SlotLayout.of(spec(dir, "x", l, KvBudgets.allInRam(KvType.F16)).layout(), KvType.F16).slotBytes();
        KvBudgets b = new KvBudgets(0, KvBudgets.UNLIMITED, 5 * slotOnDisk, KvType.F16);
        try (KvStore s = KvStore.create(spec(dir, "full", l, b))) {
            append(s, 1, 40);
            assertThatThrownBy(() -> append(s, 1, 8)).isInstanceOfSatisfying(KvBudgetExceededException.class,
                    e -> assertThat(e.tier()).isEqualTo(KvTier.DISK));
            assertThat(s.bytesPerTier()[2]).isLessThanOrEqualTo(b.diskBytes());
        }
    }
}
