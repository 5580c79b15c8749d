package dev.canopy.kv.tier;

import dev.canopy.kv.KvType;
import dev.canopy.natives.ffi.ggml_to_float_t;
import dev.canopy.natives.ffi.ggml_type_traits;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Conversions between F32 and F16 rows in native memory, per-channel min/max of rows, and the
 * widening of quantized rows (Q8_0, Q4_0) to F32 with ggml's own to_float.
 */
public final class Rows {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private Rows() {}

    /**
     * Converts {@code n} values of type {@code from} at {@code src} into {@code to} at {@code dst}.
     * F32 <-> F16 runs in Java: Float.floatToFloat16 / float16ToFloat are intrinsics (F16C on x86,
     * FCVT on ARM), round to nearest even like ggml's CPU backend, and are about ten times faster
     * than ggml-base's portable ggml_fp32_to_fp16_row.
     */
    public static void convert(MemorySegment src, KvType from, MemorySegment dst, KvType to, long n) {
        if (from == to) {
            MemorySegment.copy(src, 0, dst, 0, from.bytes(n));
            return;
        }
        if (!(from == KvType.F32 && to == KvType.F16) && !(from == KvType.F16 && to == KvType.F32)) {
            throw new IllegalArgumentException("no row conversion " + from + " -> " + to);
        }
        int chunk = (int) Math.min(n, 4096);
        float[] f = new float[chunk];
        short[] h = new short[chunk];
        for (long off = 0; off < n; off += chunk) {
            int m = (int) Math.min(chunk, n - off);
            if (from == KvType.F32) {
                MemorySegment.copy(src, F32, off * 4, f, 0, m);
                for (int i = 0; i < m; i++) h[i] = Float.floatToFloat16(f[i]);
                MemorySegment.copy(h, 0, dst, F16, off * 2, m);
            } else {
                MemorySegment.copy(src, F16, off * 2, h, 0, m);
                for (int i = 0; i < m; i++) f[i] = Float.float16ToFloat(h[i]);
                MemorySegment.copy(f, 0, dst, F32, off * 4, m);
            }
        }
    }

    /**
     * Widens {@code n} quantized values ({@code from} Q8_0 or Q4_0) at {@code src} into F32 at
     * {@code dst}, with the type traits' to_float (what ggml's get_rows and flash attention read).
     */
    @SuppressWarnings("restricted") // ggml's type traits table is static and sized by its generated layout
    public static void dequantize(MemorySegment src, KvType from, MemorySegment dst, long n) {
        if (!from.isQuantized()) throw new IllegalArgumentException(from + " is not a quantized type");
        MemorySegment traits = llama_h.ggml_get_type_traits(from.ggmlId()).reinterpret(ggml_type_traits.layout().byteSize());
        ggml_to_float_t.invoke(ggml_type_traits.to_float(traits), src, dst, n);
    }

    /** Widens {@code lo}/{@code hi} with {@code rows} rows of {@code type} at {@code seg}. */
    public static void minMax(MemorySegment seg, KvType type, int rows, float[] lo, float[] hi) {
        if (type.isQuantized()) {
            try (Arena a = Arena.ofConfined()) {
                long n = (long) rows * lo.length;
                MemorySegment f32 = a.allocate(Math.max(4, n * 4), 64);
                dequantize(seg.isNative() ? seg : a.allocate(type.bytes(n), 64).copyFrom(seg.asSlice(0, type.bytes(n))), type, f32, n);
                minMax(f32, KvType.F32, rows, lo, hi);
            }
            return;
        }
        int n = lo.length;
        float[] row = new float[n];
        short[] half = type == KvType.F16 ? new short[n] : null;
        long rowBytes = type.rowBytes(n);
        for (int r = 0; r < rows; r++) {
            long off = r * rowBytes;
            if (half != null) {
                MemorySegment.copy(seg, F16, off, half, 0, n);
                for (int i = 0; i < n; i++) row[i] = Float.float16ToFloat(half[i]);
            } else {
                MemorySegment.copy(seg, F32, off, row, 0, n);
            }
            for (int i = 0; i < n; i++) {
                float x = row[i];
                if (x < lo[i]) lo[i] = x;
                if (x > hi[i]) hi[i] = x;
            }
        }
    }

    /** Reads {@code rows} rows as floats, for tests and recomputation. */
    public static float[][] read(MemorySegment seg, KvType type, int rows, int n) {
        if (type.isQuantized()) {
            try (Arena a = Arena.ofConfined()) {
                long values = (long) rows * n;
                MemorySegment f32 = a.allocate(Math.max(4, values * 4), 64);
                dequantize(seg.isNative() ? seg : a.allocate(type.bytes(values), 64).copyFrom(seg.asSlice(0, type.bytes(values))), type, f32, values);
                return read(f32, KvType.F32, rows, n);
            }
        }
        float[][] out = new float[rows][n];
        short[] half = new short[n];
        for (int r = 0; r < rows; r++) {
            long off = r * type.rowBytes(n);
            if (type == KvType.F16) {
                MemorySegment.copy(seg, F16, off, half, 0, n);
                for (int i = 0; i < n; i++) out[r][i] = Float.float16ToFloat(half[i]);
            } else {
                MemorySegment.copy(seg, F32, off, out[r], 0, n);
            }
        }
        return out;
    }
}
