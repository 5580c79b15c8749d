package dev.canopy.tools.engine.sparse.bench;

import dev.canopy.engine.sparse.AttentionShape;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.BackendBuffer;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.ggml.GgmlContext;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.canopy.natives.ffi.llama_h.*;

/** One layer's F16 K and V cache, [Hkv*hd, cells] each, in its own backend buffer. Owns both. */
final class KvPair implements AutoCloseable {
    private final GgmlContext headers; // owned: the two tensor headers
    private final BackendBuffer buffer; // owned: their data
    private final MemorySegment k, v;   // borrowed from headers
    private final int headDim, kvHeads;

    KvPair(GgmlBackend backend, int headDim, int kvHeads, int cells) {
        this.headDim = headDim;
        this.kvHeads = kvHeads;
        headers = GgmlContext.metadata(2, 0);
        k = Tensors.named(ggml_new_tensor_2d(headers.handle(), GGML_TYPE_F16(), (long) headDim * kvHeads, cells), "cache_k");
        v = Tensors.named(ggml_new_tensor_2d(headers.handle(), GGML_TYPE_F16(), (long) headDim * kvHeads, cells), "cache_v");
        buffer = BackendBuffer.allocate(headers, backend.bufferType());
    }

    /** Fills K and V with host values ([cells][Hkv*hd] each), converted to F16. */
    void fill(float[] keys, float[] values) {
        try (Arena a = Arena.ofConfined()) {
            set(a, k, keys);
            set(a, v, values);
        }
    }

    private static void set(Arena a, MemorySegment t, float[] x) {
        MemorySegment s = a.allocate(2L * x.length);
        for (int i = 0; i < x.length; i++) s.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(x[i]));
        llama_h.ggml_backend_tensor_set(t, s, 0, s.byteSize());
    }

    /** The first {@code shape.window()} cells of K as [hd, Hkv, W], like the engine's cache view. */
    MemorySegment keys(MemorySegment ctx0, AttentionShape shape) {
        return view(ctx0, k, shape);
    }

    MemorySegment values(MemorySegment ctx0, AttentionShape shape) {
        return view(ctx0, v, shape);
    }

    private MemorySegment view(MemorySegment ctx0, MemorySegment cache, AttentionShape shape) {
        return ggml_view_3d(ctx0, cache, headDim, kvHeads, shape.window(),
                ggml_row_size(GGML_TYPE_F16(), headDim), ggml_row_size(GGML_TYPE_F16(), (long) headDim * kvHeads), 0);
    }

    long bytes() {
        return buffer.size();
    }

    @Override
    public void close() {
        buffer.close();
        headers.close();
    }
}
