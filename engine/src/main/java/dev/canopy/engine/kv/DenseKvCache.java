package dev.canopy.engine.kv;

import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.BackendBuffer;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.ggml.GgmlContext;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole KV cache in backend buffers: one per buffer type used, so the layers placed on a GPU
 * keep their KV in device memory and the others in host memory.
 */
public final class DenseKvCache implements KvCache {
    private final List<GgmlContext> headers;   // owned: the 2 * layers tensor headers, one context per buffer
    private final List<BackendBuffer> buffers; // owned: their data
    private final MemorySegment[] keys;   // borrowed from headers
    private final MemorySegment[] values; // borrowed from headers
    private final int cells;
    private final int type;

    private DenseKvCache(List<GgmlContext> headers, List<BackendBuffer> buffers, MemorySegment[] keys, MemorySegment[] values,
                         int cells, int type) {
        this.headers = headers;
        this.buffers = buffers;
        this.keys = keys;
        this.values = values;
        this.cells = cells;
        this.type = type;
    }

    /** {@code layers} pairs of [kvWidth, cells + 1] tensors of {@code type} on {@code backend}, zeroed. */
    public static DenseKvCache allocate(GgmlBackend backend, int layers, int kvWidth, int cells, int type) {
        return allocate(KvBufferTypes.all(backend), layers, kvWidth, cells, type);
    }

    /** As above, each layer's pair in the buffer type {@code types} gives for it. */
    public static DenseKvCache allocate(KvBufferTypes types, int layers, int kvWidth, int cells, int type) {
        int[] ids = new int[layers];
        for (int l = 0; l < layers; l++) ids[l] = l;
        return allocate(types, ids, kvWidth, cells, type, "cache");
    }

    /**
     * One pair of [kvWidth, cells + 1] tensors per entry of {@code layerIds} (tensor {@code i} is
     * that of model layer {@code layerIds[i]}, named "prefix_k_lN" / "prefix_v_lN"), zeroed.
     */
    public static DenseKvCache allocate(GgmlBackend backend, int[] layerIds, int kvWidth, int cells, int type, String prefix) {
        return allocate(KvBufferTypes.all(backend), layerIds, kvWidth, cells, type, prefix);
    }

    /** As above, each layer's pair in the buffer type {@code types} gives for it. */
    public static DenseKvCache allocate(KvBufferTypes types, int[] layerIds, int kvWidth, int cells, int type, String prefix) {
        int layers = layerIds.length;
        MemorySegment[] k = new MemorySegment[layers];
        MemorySegment[] v = new MemorySegment[layers];
        Map<Long, List<Integer>> byType = new LinkedHashMap<>();   // buffer type address -> indexes into layerIds
        for (int i = 0; i < layers; i++) byType.computeIfAbsent(types.of(layerIds[i]).address(), a -> new ArrayList<>()).add(i);
        List<GgmlContext> contexts = new ArrayList<>();
        List<BackendBuffer> buffers = new ArrayList<>();
        try {
            for (Map.Entry<Long, List<Integer>> group : byType.entrySet()) {
                GgmlContext ctx = GgmlContext.metadata(2L * group.getValue().size(), 0);
                contexts.add(ctx);
                for (int i : group.getValue()) {
                    k[i] = Tensors.named(llama_h.ggml_new_tensor_2d(ctx.handle(), type, kvWidth, cells + 1L), prefix + "_k_l" + layerIds[i]);
                    v[i] = Tensors.named(llama_h.ggml_new_tensor_2d(ctx.handle(), type, kvWidth, cells + 1L), prefix + "_v_l" + layerIds[i]);
                }
                BackendBuffer buffer = BackendBuffer.allocate(ctx, types.of(layerIds[group.getValue().getFirst()]), "the KV cache");
                buffers.add(buffer);
                buffer.clear((byte) 0);
            }
        } catch (RuntimeException e) {
            buffers.forEach(BackendBuffer::close);
            contexts.forEach(GgmlContext::close);
            throw e;
        }
        return new DenseKvCache(List.copyOf(contexts), List.copyOf(buffers), k, v, cells, type);
    }

    @Override public int cells() { return cells; }
    @Override public MemorySegment keys(int layer) { return keys[layer]; }
    @Override public MemorySegment values(int layer) { return values[layer]; }
    @Override public int type() { return type; }
    @Override public long bytes() { return buffers.stream().mapToLong(BackendBuffer::size).sum(); }

    @Override
    public void close() {
        buffers.forEach(BackendBuffer::close);
        headers.forEach(GgmlContext::close);
    }
}
