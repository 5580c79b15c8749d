package dev.canopy.kv;

import dev.canopy.kv.tier.DiskTier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static dev.canopy.kv.KvTestData.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DamageTest {
    @TempDir Path dir;

    private static final KvLayout L = layout(2, 16, KvType.F16);

    private KvStore tightStore(String id) {
        return KvStore.create(spec(dir, id, L, new KvBudgets(0, hostBudget(L, 100, 0.0), KvBudgets.UNLIMITED, KvType.F16)));
    }

    /** Flips one byte of a page's rows (or its abstract) in the page file, behind the store's back. */
    static void flip(KvStore s, int layer, int page, boolean inAbstract) throws IOException {
        int diskSlot = s.diskSlot(layer, page);
        DiskTier.SlotLayout sl = DiskTier.SlotLayout.of(s.spec().layout(), s.spec().budgets().coldType());
        long at = diskSlot * sl.slotBytes() + (inAbstract ? 12 : sl.valuesOffset() + 77);
        try (FileChannel ch = FileChannel.open(s.spec().pageFile(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x10));
            ch.write(b.rewind(), at);
        }
    }

    @Test
    void aFlippedByteIsDetectedNeverReturnedAndRepairedFromRecomputedRows() throws IOException {
        try (KvStore s = tightStore("dmg")) {
            append(s, 21, 100);
            byte[][] before = gatherAll(s, 1);
            assertThat(s.tierOf(1, 2)).isEqualTo(KvTier.DISK);
            flip(s, 1, 2, false);

            assertThatThrownBy(() -> gatherAll(s, 1)).isInstanceOfSatisfying(DamagedPageException.class, ex -> {
                assertThat(ex.page()).isEqualTo(new PageRef(1, 2, 32, 16));
                assertThat(ex).hasMessageContaining("page 2 of layer 1");
            });
            assertThat(s.stats().damaged()).isEqualTo(1);
            assertThatThrownBy(() -> gatherAll(s, 1)).as("stays damaged until repaired").isInstanceOf(DamagedPageException.class);
            assertThat(gatherAll(s, 0)[0]).as("other layers unaffected").isNotEmpty();
            assertThat(s.verifyAll()).containsExactly(new PageRef(1, 2, 32, 16));

            // The engine recomputes positions 32..47 and hands the rows back.
            s.repair(1, 2, MemorySegment.ofArray(rows(21, 1, 32, 16, false)), MemorySegment.ofArray(rows(21, 1, 32, 16, true)), KvType.F32);
            assertThat(s.verifyAll()).isEmpty();
            append(s, 21, 40); // evicts the repaired page from host again
            byte[][] after = gatherAll(s, 1);
            assertThat(java.util.Arrays.copyOf(after[0], before[0].length)).isEqualTo(before[0]);
            assertThat(java.util.Arrays.copyOf(after[1], before[1].length)).isEqualTo(before[1]);
        }
    }

    @Test
    void aDamagedPageFoundByThePrefetcherIsNotPublished() throws IOException {
        try (KvStore s = tightStore("pf")) {
            append(s, 22, 100);
            flip(s, 0, 1, false);
            s.prefetch(0, new int[] {1, 3}).join();
            assertThat(s.tierOf(0, 1)).isEqualTo(KvTier.DISK);
            assertThatThrownBy(() -> s.materialize(0, new int[] {1}, s.newGatherBuffer(16)))
                    .isInstanceOf(DamagedPageException.class);
        }
    }

    @Test
    void aDamagedAbstractIsFoundOnReopenAndThePageIsSelectedForRepair() throws IOException {
        KvStoreSpec spec;
        int[] tokens;
        try (KvStore s = tightStore("abs")) {
            append(s, 23, 100);
            spec = s.spec();
            tokens = s.tokens();
            flip(s, 0, 4, true);
        }
        try (KvStore s = KvStore.open(spec, tokens).orElseThrow()) {
            assertThat(s.verifyAll()).containsExactly(new PageRef(0, 4, 64, 16));
            float[] q = new float[QUERY_HEADS * HEAD_DIM];
            assertThat(s.select(0, q, 64, 0, 16)).as("an unknown abstract has an infinite bound").contains(4);
            assertThatThrownBy(() -> gatherAll(s, 0)).isInstanceOf(DamagedPageException.class);
        }
    }
}
