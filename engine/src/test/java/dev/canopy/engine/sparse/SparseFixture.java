package dev.canopy.engine.sparse;

import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.ggml.GgmlContext;
import dev.canopy.natives.ggml.GraphAllocator;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static dev.canopy.natives.ffi.llama_h.*;

/**
 * One attention layer as a standalone ggml CPU graph over random data: Q, a K/V cache window and
 * the engine-style causal mask are graph inputs, attention is built by {@link SparseAttentionBuilder}.
 */
final class SparseFixture {
    private SparseFixture() {}

    /**
     * Random layer inputs. Keys come in segments (a per-segment mean plus noise) so that the
     * boundary detector has something to find. Arrays are row-major with the fastest ggml
     * dimension last: q [T][H][hd], k and v [W][Hkv][hd] (already rounded to F16).
     */
    record Data(AttentionShape shape, QueryBlock block, float[] q, float[] k, float[] v, int[] segmentStarts) {
        /** Layer-0 style key means over KV heads of the sequence's cells, [cells][hd]. */
        float[] keyMeans() {
            int hd = shape.headDim(), hkv = shape.kvHeads();
            int cells = block.lastCell() - block.seqStart() + 1;
            float[] out = new float[cells * hd];
            for (int c = 0; c < cells; c++)
                for (int h = 0; h < hkv; h++)
                    for (int d = 0; d < hd; d++) out[c * hd + d] += k[((block.seqStart() + c) * hkv + h) * hd + d] / hkv;
            return out;
        }

        /** The DHSA chunk map of the whole sequence (every position known to the detector). */
        ChunkMap chunkMap(BoundaryParams p) {
            int[] starts = ChunkBoundaries.detect(keyMeans(), shape.headDim(), p);
            return ChunkMap.of(starts, block.visibleCells(), block.seqStart(), block.lastCell(), shape.window());
        }
    }

    record Result(AttentionMode mode, float[] out, int[] selection) {}

    static Data random(long seed, AttentionShape s, QueryBlock block) {
        Random r = new Random(seed);
        int hd = s.headDim(), w = s.window(), kvw = s.kvWidth();
        float[] q = gaussian(r, s.queryRows() * s.heads() * hd, 1f);
        float[] k = new float[w * kvw];
        float[] v = gaussian(r, w * kvw, 1f);
        java.util.List<Integer> starts = new java.util.ArrayList<>();
        float[] mean = new float[kvw];
        for (int c = 0, next = 0; c < w; c++) {
            if (c == next) {
                starts.add(c);
                mean = gaussian(r, kvw, 2f);
                next = c + 16 + r.nextInt(48);
            }
            for (int i = 0; i < kvw; i++) k[c * kvw + i] = mean[i] + 0.3f * (float) r.nextGaussian();
        }
        for (int i = 0; i < k.length; i++) k[i] = Float.float16ToFloat(Float.floatToFloat16(k[i]));
        for (int i = 0; i < v.length; i++) v[i] = Float.float16ToFloat(Float.floatToFloat16(v[i]));
        return new Data(s, block, q, k, v, starts.stream().mapToInt(Integer::intValue).toArray());
    }

    static float[] gaussian(Random r, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = scale * (float) r.nextGaussian();
        return x;
    }

    /** Builds, allocates and computes one layer's attention; reads back its output and selection. */
    static Result run(Data d, SparseAttentionSettings settings, ChunkMap chunks) {
        return run(null, d, settings, chunks);
    }

    /**
     * As {@link #run(Data, SparseAttentionSettings, ChunkMap)}, with an earlier layer over
     * {@code before}'s Q/K/V built first in the same graph (same block and selection inputs, as
     * the engine's layers share them); the result is the later layer's.
     */
    static Result run(Data before, Data d, SparseAttentionSettings settings, ChunkMap chunks) {
        AttentionShape s = d.shape();
        int hd = s.headDim(), t = s.queryRows(), w = s.window();
        try (GgmlBackend backend = GgmlBackend.cpu(2);
             GgmlContext ctx = GgmlContext.metadata(512, 1024);
             GraphAllocator alloc = new GraphAllocator(backend.bufferType());
             SelectionInputWriter writer = new SelectionInputWriter(settings);
             Arena arena = Arena.ofConfined()) {
            MemorySegment ctx0 = ctx.handle();
            MemorySegment gf = ggml_new_graph_custom(ctx0, 1024, false);
            MemorySegment q = input(ggml_new_tensor_3d(ctx0, GGML_TYPE_F32(), hd, s.heads(), t), "q");
            MemorySegment kCache = input(ggml_new_tensor_2d(ctx0, GGML_TYPE_F16(), s.kvWidth(), w), "k_cache");
            MemorySegment vCache = input(ggml_new_tensor_2d(ctx0, GGML_TYPE_F16(), s.kvWidth(), w), "v_cache");
            boolean dense = SelectionInputs.effectiveMode(settings, s) == AttentionMode.DENSE;
            MemorySegment mask = dense ? input(ggml_new_tensor_2d(ctx0, GGML_TYPE_F16(), w, t), "mask") : null;
            MemorySegment k = view3d(ctx0, kCache, s), v = view3d(ctx0, vCache, s);
            SelectionInputs in = SelectionInputs.create(ctx0, settings, s);
            SparseAttentionBuilder b = new SparseAttentionBuilder(ctx0, s, in, mask);
            MemorySegment q0 = null, k0 = null, v0 = null;
            if (before != null) {
                q0 = input(ggml_new_tensor_3d(ctx0, GGML_TYPE_F32(), hd, s.heads(), t), "q0");
                k0 = input(ggml_new_tensor_2d(ctx0, GGML_TYPE_F16(), s.kvWidth(), w), "k_cache0");
                v0 = input(ggml_new_tensor_2d(ctx0, GGML_TYPE_F16(), s.kvWidth(), w), "v_cache0");
                ggml_build_forward_expand(gf, b.attention(q0, view3d(ctx0, k0, s), view3d(ctx0, v0, s), 0));
            }
            int il = before == null ? 0 : 1;
            MemorySegment out = b.attention(q, k, v, il);
            ggml_set_output(out);
            ggml_build_forward_expand(gf, out);
            MemorySegment sel = b.selection(il);
            if (sel != null) ggml_build_forward_expand(gf, sel);
            alloc.allocate(gf);

            putF32(arena, q, d.q());
            putF16(arena, kCache, d.k());
            putF16(arena, vCache, d.v());
            if (mask != null) putF16(arena, mask, mask(d));
            if (before != null) {
                putF32(arena, q0, before.q());
                putF16(arena, k0, before.k());
                putF16(arena, v0, before.v());
            }
            writer.write(in, d.block(), chunks);
            backend.compute(gf);

            float[] o = getF32(arena, out, (long) hd * s.heads() * t);
            int[] cells = sel == null ? null : getI32(arena, sel, Tensors.ne(sel, 0));
            return new Result(in.mode(), o, cells);
        }
    }

    /** Engine-style mask [T][W]: valid row i sees cells seqStart..firstCell+i, padding rows see seqStart only. */
    static float[] mask(Data d) {
        int w = d.shape().window(), t = d.shape().queryRows();
        QueryBlock b = d.block();
        float[] m = new float[t * w];
        java.util.Arrays.fill(m, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < t; i++) {
            int hi = i < b.rows() ? b.firstCell() + i : b.seqStart();
            for (int c = b.seqStart(); c <= hi; c++) m[i * w + c] = 0f;
        }
        return m;
    }

    private static MemorySegment view3d(MemorySegment ctx0, MemorySegment cache, AttentionShape s) {
        return ggml_view_3d(ctx0, cache, s.headDim(), s.kvHeads(), s.window(),
                ggml_row_size(GGML_TYPE_F16(), s.headDim()), ggml_row_size(GGML_TYPE_F16(), s.kvWidth()), 0);
    }

    private static MemorySegment input(MemorySegment t, String name) {
        ggml_set_input(t);
        return Tensors.named(t, name);
    }

    static void putF32(Arena a, MemorySegment t, float[] x) {
        MemorySegment s = a.allocateFrom(ValueLayout.JAVA_FLOAT, x);
        llama_h.ggml_backend_tensor_set(t, s, 0, s.byteSize());
    }

    static void putF16(Arena a, MemorySegment t, float[] x) {
        short[] h = new short[x.length];
        for (int i = 0; i < x.length; i++) h[i] = Float.floatToFloat16(x[i]);
        MemorySegment s = a.allocateFrom(ValueLayout.JAVA_SHORT, h);
        llama_h.ggml_backend_tensor_set(t, s, 0, s.byteSize());
    }

    static float[] getF32(Arena a, MemorySegment t, long n) {
        MemorySegment s = a.allocate(4 * n);
        llama_h.ggml_backend_tensor_get(t, s, 0, s.byteSize());
        return s.toArray(ValueLayout.JAVA_FLOAT);
    }

    static int[] getI32(Arena a, MemorySegment t, long n) {
        MemorySegment s = a.allocate(4 * n);
        llama_h.ggml_backend_tensor_get(t, s, 0, s.byteSize());
        return s.toArray(ValueLayout.JAVA_INT);
    }
}
