package dev.canopy.engine.kv;

import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.BackendBuffer;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.ggml.GgmlContext;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.MemorySegment;

/** The whole KV cache in one backend buffer (device memory when the backend is a GPU). */
public final class DenseKvCache implements KvCache {
    private final GgmlContext headers;    // owned: the 2 * layers tensor headers
    private final BackendBuffer buffer;   // owned: their data
    private final MemorySegment[] keys;   // borrowed from headers
    private final MemorySegment[] values; // borrowed from headers
    private final int cells;
    private final int type;

    private DenseKvCache(GgmlContext headers, BackendBuffer buffer, MemorySegment[] keys, MemorySegment[] values,
                         int cells, int type) {
        this.headers = headers;
        this.buffer = buffer;
        this.keys = keys;
        this.values = values;
        this.cells = cells;
        this.type = type;
    }

    /** {@code layers} pairs of [kvWidth, cells + 1] tensors of {@code type} on {@code backend}, zeroed. */
    public static DenseKvCache allocate(GgmlBackend backend, int layers, int kvWidth, int cells, int type) {
        int[] ids = new int[layers];
        for (int l = 0; l < layers; l++) ids[l] = l;
        return allocate(backend, ids, kvWidth, cells, type, "cache");
    }

    /**
     * One pair of [kvWidth, cells + 1] tensors per entry of {@code layerIds} (tensor {@code i} is
     * that of model layer {@code layerIds[i]}, named "prefix_k_lN" / "prefix_v_lN"), zeroed.
     */
    public static DenseKvCache allocate(GgmlBackend backend, int[] layerIds, int kvWidth, int cells, int type, String prefix) {
        int layers = layerIds.length;
        GgmlContext headers = GgmlContext.metadata(2L * layers, 0);
        MemorySegment[] k = new MemorySegment[layers];
        MemorySegment[] v = new MemorySegment[layers];
        for (int l = 0; l < layers; l++) {
            k[l] = Tensors.named(llama_h.ggml_new_tensor_2d(headers.handle(), type, kvWidth, cells + 1L), prefix + "_k_l" + layerIds[l]);
            v[l] = Tensors.named(llama_h.ggml_new_tensor_2d(headers.handle(), type, kvWidth, cells + 1L), prefix + "_v_l" + layerIds[l]);
        }
        BackendBuffer buffer;
        try {
            buffer = BackendBuffer.allocate(headers, backend.bufferType());
        } catch (RuntimeException e) {
            headers.close();
            throw e;
        }
        buffer.clear((byte) 0);
        return new DenseKvCache(headers, buffer, k, v, cells, type);
    }

    @Override public int cells() { return cells; }
    @Override public MemorySegment keys(int layer) { return keys[layer]; }
    @Override public MemorySegment values(int layer) { return values[layer]; }
    @Override public int type() { return type; }
    @Override public long bytes() { return buffer.size(); }

    @Override
    public void close() {
        buffer.close();
        headers.close();
    }
}
