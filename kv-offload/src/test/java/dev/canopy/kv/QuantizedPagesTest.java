package dev.canopy.kv;

import dev.canopy.kv.tier.Rows;
import dev.canopy.natives.ffi.llama_h;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.canopy.kv.KvTestData.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A quantized KV (Q8_0, Q4_0 rows as the engine's graph writes them) paged through host memory and
 * disk, saved and reopened: the rows come back byte for byte, and a store saved in one type is
 * never opened as another.
 */
class QuantizedPagesTest {
    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(value = KvType.class, names = {"Q8_0", "Q4_0"})
    void quantizedPagesGoToDiskAndComeBackByteForByteAcrossAReopen(KvType type) {
        KvLayout layout = layout(3, 16, type);
        KvBudgets budgets = new KvBudgets(0, hostBudget(layout, 200, 0.25), KvBudgets.UNLIMITED, type);
        List<byte[][]> want = new ArrayList<>();
        try (KvStore s = KvStore.create(spec(dir, "q", layout, budgets))) {
            appendQuantized(s, 41, 150);
            appendQuantized(s, 41, 53);   // ends inside a page: the open page is saved too
            for (int l = 0; l < 3; l++) {
                byte[][] kv = gatherAll(s, l);
                assertThat(kv[0]).as("layer %d keys as appended", l).containsExactly(quantized(41, l, 0, 203, false, type));
                assertThat(kv[1]).as("layer %d values as appended", l).containsExactly(quantized(41, l, 0, 203, true, type));
                want.add(kv);
            }
            assertThat(s.stats().diskBytesWritten()).as("a quarter of the KV in RAM: pages went to disk").isPositive();
        }
        assertThat(new KvStoreSpec(dir, KvKey.named("q"), IDENTITY, layout, budgets, TierDevices.cpuOnly()).manifestFile()).exists();
        try (KvStore s = KvStore.open(spec(dir, "q", layout, budgets), tokenIds(41, 0, 203)).orElseThrow()) {
            assertThat(s.tokenCount()).isEqualTo(203);
            assertThat(s.verifyAll()).isEmpty();
            for (int l = 0; l < 3; l++) {
                byte[][] kv = gatherAll(s, l);
                assertThat(kv[0]).containsExactly(want.get(l)[0]);
                assertThat(kv[1]).containsExactly(want.get(l)[1]);
            }
        }
        KvType other = type == KvType.Q8_0 ? KvType.Q4_0 : KvType.Q8_0;
        assertThat(KvStore.open(spec(dir, "q", layout(3, 16, KvType.F16), budgets.withCold(KvType.F16)), tokenIds(41, 0, 203)))
                .as("a %s KV is not reopened as F16", type).isEmpty();
        assertThat(KvStore.open(spec(dir, "q", layout(3, 16, other), budgets.withCold(other)), tokenIds(41, 0, 203)))
                .as("nor as %s", other).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = KvType.class, names = {"Q8_0", "Q4_0"})
    void aQuantizedKvKeepsItsOwnTypeOnDiskAndBlocksWithinHeads(KvType type) {
        assertThatThrownBy(() -> spec(dir, "x", layout(2, 16, type), KvBudgets.allInRam(KvType.F16)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keeps its pages on disk as " + type);
        assertThatThrownBy(() -> KvLayout.uniform(2, 2, 48, 4, 16, type))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
        assertThat(layout(1, 16, type).hotRowBytes()).isEqualTo(ROW / 32 * (type == KvType.Q8_0 ? 34 : 18));
    }

    @ParameterizedTest
    @EnumSource(value = KvType.class, names = {"Q8_0", "Q4_0"})
    void pageBoundsOfQuantizedKeysHoldTheDequantizedKeys(KvType type) {
        KvLayout layout = layout(1, 16, type);
        float[] lo = PageAbstract.empty(ROW).min(), hi = PageAbstract.empty(ROW).max();
        byte[] q = quantized(7, 0, 0, 16, false, type);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment rows = a.allocate(q.length, 64).copyFrom(MemorySegment.ofArray(q));
            Rows.minMax(rows, type, 16, lo, hi);
            MemorySegment f32 = a.allocate(16L * ROW * 4, 64);
            type.toF32(rows, f32, 16L * ROW);
            float[] back = f32.toArray(ValueLayout.JAVA_FLOAT);
            float[] exact = rows(7, 0, 0, 16, false);
            double maxErr = 0;
            for (int i = 0; i < back.length; i++) {
                int c = i % ROW;
                assertThat(back[i]).isBetween(lo[c], hi[c]);
                maxErr = Math.max(maxErr, Math.abs(back[i] - exact[i]));
            }
            assertThat(maxErr).as("dequantized, not reinterpreted").isGreaterThan(0).isLessThan(type == KvType.Q8_0 ? 0.2 : 2.0);
        }
        assertThat(layout.rowElements()).isEqualTo(ROW);
    }

    /** Declares {@code count} tokens and appends their rows, quantized as ggml does, to every layer. */
    private static void appendQuantized(KvStore s, long seed, int count) {
        KvType type = s.layout().hotType();
        int first = s.addTokens(tokenIds(seed, s.tokenCount(), count));
        for (int l = 0; l < s.layout().layers(); l++) {
            s.append(l, first, count, MemorySegment.ofArray(quantized(seed, l, first, count, false, type)),
                    MemorySegment.ofArray(quantized(seed, l, first, count, true, type)), type);
        }
    }

    /** The rows of {@link KvTestData#rows} quantized with ggml_quantize_chunk. */
    private static byte[] quantized(long seed, int layer, int first, int count, boolean v, KvType type) {
        try (Arena a = Arena.ofConfined()) {
            float[] f = rows(seed, layer, first, count, v);
            MemorySegment src = a.allocate(4L * f.length, 64).copyFrom(MemorySegment.ofArray(f));
            long bytes = (long) count * type.rowBytes(ROW);
            MemorySegment dst = a.allocate(bytes, 64);
            llama_h.ggml_quantize_chunk(type.ggmlId(), src, dst, 0, count, ROW, MemorySegment.NULL);
            return dst.toArray(ValueLayout.JAVA_BYTE);
        }
    }
}
