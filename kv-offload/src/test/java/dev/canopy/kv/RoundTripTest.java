package dev.canopy.kv;

import dev.canopy.kv.tier.Rows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.canopy.kv.KvTestData.*;
import static org.assertj.core.api.Assertions.assertThat;

class RoundTripTest {
    @TempDir Path dir;

    @Test
    void f32PagesComeBackExactlyFromEveryTier() {
        KvLayout l = layout(2, 16, KvType.F32);
        KvBudgets b = new KvBudgets(0, hostBudget(l, 200, 0.0), KvBudgets.UNLIMITED, KvType.F32); // one slot per layer
        try (KvStore s = KvStore.create(spec(dir, "rt", l, b))) {
            append(s, 1, 150);
            append(s, 1, 50);
            for (int layer = 0; layer < 2; layer++) {
                byte[][] kv = gatherAll(s, layer);
                assertThat(floats(kv[0], KvType.F32)).containsExactly(rows(1, layer, 0, 200, false));
                assertThat(floats(kv[1], KvType.F32)).containsExactly(rows(1, layer, 0, 200, true));
            }
            assertThat(s.stats().hits(KvTier.DISK)).as("pages came from disk").isGreaterThan(10);
            assertThat(s.stats().damaged()).isZero();
        }
    }

    @Test
    void f16ColdPagesAreWithinHalfPrecision() {
        KvLayout l = layout(1, 16, KvType.F32);
        KvBudgets b = new KvBudgets(0, hostBudget(l, 160, 0.0), KvBudgets.UNLIMITED, KvType.F16);
        try (KvStore s = KvStore.create(spec(dir, "f16", l, b))) {
            append(s, 2, 160);
            float[] got = floats(gatherAll(s, 0)[0], KvType.F32);
            float[] want = rows(2, 0, 0, 160, false);
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(Math.abs(want[i]) * 1e-3f + 1e-6f));
            }
            assertThat(s.stats().hits(KvTier.DISK)).isPositive();
        }
    }

    @Test
    void q8ColdPagesAreWithinHalfAQuantizationStep() {
        KvLayout l = layout(1, 16, KvType.F32);
        KvBudgets b = new KvBudgets(0, hostBudget(l, 160, 0.0), KvBudgets.UNLIMITED, KvType.Q8_0);
        try (KvStore s = KvStore.create(spec(dir, "q8", l, b))) {
            append(s, 3, 160);
            float[] got = floats(gatherAll(s, 0)[1], KvType.F32);
            float[] want = rows(3, 0, 0, 160, true);
            for (int block = 0; block < want.length / 32; block++) {
                float amax = 0;
                for (int i = block * 32; i < block * 32 + 32; i++) amax = Math.max(amax, Math.abs(want[i]));
                float step = amax / 127;
                for (int i = block * 32; i < block * 32 + 32; i++) {
                    assertThat(Math.abs(got[i] - want[i])).isLessThanOrEqualTo(step * 0.6f + 1e-6f);
                }
            }
        }
    }

    @Test
    void f16HotRowsAreTheHalfPrecisionRoundingOfTheInput() {
        KvLayout l = layout(1, 8, KvType.F16);
        try (KvStore s = KvStore.create(spec(dir, "h", l, KvBudgets.allInRam(KvType.F16)))) {
            append(s, 4, 30);
            float[] got = floats(gatherAll(s, 0)[0], KvType.F16);
            float[] want = rows(4, 0, 0, 30, false);
            for (int i = 0; i < want.length; i++) assertThat(got[i]).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(want[i])));
        }
    }

    @Test
    void javaHalfConversionMatchesGgmlBitForBit() {
        dev.canopy.natives.NativeRuntime.get();
        int n = 1 << 16;
        java.util.SplittableRandom r = new java.util.SplittableRandom(8);
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            var f = a.allocate(n * 4L, 64);
            for (int i = 0; i < n; i++) {
                float v = switch (i % 4) {
                    case 0 -> Float.intBitsToFloat(r.nextInt()); // every class: denormals, huge, inf, NaN
                    case 1 -> (float) r.nextGaussian() * 1e-5f;   // F16 denormal range
                    case 2 -> Float.float16ToFloat((short) r.nextInt(1 << 16)) + Math.ulp(1f) * (r.nextInt(3) - 1); // near ties
                    default -> (float) r.nextGaussian() * 100;
                };
                f.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, v);
            }
            var ours = a.allocate(n * 2L, 64);
            var ggml = a.allocate(n * 2L, 64);
            Rows.convert(f, KvType.F32, ours, KvType.F16, n);
            dev.canopy.natives.ffi.llama_h.ggml_fp32_to_fp16_row(f, ggml, n);
            for (int i = 0; i < n; i++) {
                short x = ours.getAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT, i);
                short y = ggml.getAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT, i);
                if (Float.isNaN(Float.float16ToFloat(x)) && Float.isNaN(Float.float16ToFloat(y))) continue;
                assertThat(x).as("value %s", f.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i)).isEqualTo(y);
            }
            var back = a.allocate(n * 4L, 64);
            var backGgml = a.allocate(n * 4L, 64);
            Rows.convert(ours, KvType.F16, back, KvType.F32, n);
            dev.canopy.natives.ffi.llama_h.ggml_fp16_to_fp32_row(ours, backGgml, n);
            for (int i = 0; i < n; i++) {
                float x = back.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i);
                float y = backGgml.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i);
                if (!(Float.isNaN(x) && Float.isNaN(y))) assertThat(Float.floatToRawIntBits(x)).isEqualTo(Float.floatToRawIntBits(y));
            }
        }
    }
}
