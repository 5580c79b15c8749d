package dev.canopy.engine.kv;

import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads one row of each layer's roped queries ("Qcur_rope-il", F32 [headDim, heads, T], kept by
 * the graph as an output when the cache {@link KvCache#readsQueries()}) after a step computed.
 * These are what the next step's page selection scores the page abstracts with.
 */
final class QueryTap {
    private QueryTap() {}

    /** The queries of graph row {@code row} per layer; a layer's entry is null when its tensor is not in the graph. */
    static float[][] read(MemorySegment cgraph, int layers, int queryWidth, int row) {
        float[][] out = new float[layers][];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(4L * queryWidth, 64);
            for (int il = 0; il < layers; il++) {
                MemorySegment q;
                try (Arena names = Arena.ofConfined()) {
                    q = llama_h.ggml_graph_get_tensor(cgraph, names.allocateFrom("Qcur_rope-" + il));
                }
                if (q.equals(MemorySegment.NULL) || Tensors.type(q) != llama_h.GGML_TYPE_F32()
                        || Tensors.ne(q, 0) * Tensors.ne(q, 1) != queryWidth || !llama_h.ggml_is_contiguous(q)) {
                    continue;
                }
                llama_h.ggml_backend_tensor_get(q, host, Tensors.nb(q, 2) * row, 4L * queryWidth);
                out[il] = host.toArray(ValueLayout.JAVA_FLOAT);
            }
        }
        return out;
    }
}
