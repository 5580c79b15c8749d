package dev.canopy.natives.ggml;

import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.ggml_init_params;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A ggml context that holds tensor and graph metadata only ({@code no_alloc}): tensor data lives
 * in backend buffers. Owns the native {@code ggml_context}; closing it frees every tensor header
 * and graph created in it (not the buffers their data lives in).
 */
public final class GgmlContext implements AutoCloseable {
    private MemorySegment ctx; // owned: ggml_context*, freed in close()

    private GgmlContext(MemorySegment ctx) {
        this.ctx = ctx;
    }

    /** Room for {@code tensors} tensor headers and one graph of {@code graphNodes} nodes (0 = no graph). */
    public static GgmlContext metadata(long tensors, long graphNodes) {
        NativeRuntime.get();
        long size = tensors * llama_h.ggml_tensor_overhead()
                + (graphNodes > 0 ? llama_h.ggml_graph_overhead_custom(graphNodes, false) : 0);
        MemorySegment c;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = ggml_init_params.allocate(arena);
            ggml_init_params.mem_size(p, size);
            ggml_init_params.mem_buffer(p, MemorySegment.NULL);
            ggml_init_params.no_alloc(p, true);
            c = llama_h.ggml_init(p);
        }
        if (c.equals(MemorySegment.NULL)) throw new IllegalStateException("ggml_init failed for " + size + " bytes");
        return new GgmlContext(c);
    }

    /** The native context. Borrowed (owned by this object). */
    public MemorySegment handle() {
        if (ctx == null) throw new IllegalStateException("ggml context is closed");
        return ctx;
    }

    @Override
    public void close() {
        if (ctx != null) {
            llama_h.ggml_free(ctx);
            ctx = null;
        }
    }
}
