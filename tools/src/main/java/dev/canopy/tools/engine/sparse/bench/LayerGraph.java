package dev.canopy.tools.engine.sparse.bench;

import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.AttentionShape;
import dev.canopy.engine.sparse.ChunkMap;
import dev.canopy.engine.sparse.QueryBlock;
import dev.canopy.engine.sparse.SelectionInputWriter;
import dev.canopy.engine.sparse.SelectionInputs;
import dev.canopy.engine.sparse.SparseAttentionBuilder;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.ggml.GgmlContext;
import dev.canopy.natives.ggml.GraphAllocator;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.canopy.natives.ffi.llama_h.*;

/**
 * One attention layer as a ggml graph for one (mode, window): Q and the mask are graph inputs in
 * the compute buffer, K and V are views of a cache that lives in its own buffer (as in the
 * engine). Reused for every query block with the same window. Owns its context, compute buffer,
 * staging and input writer; borrows the backend and the cache.
 */
final class LayerGraph implements AutoCloseable {
    private final GgmlContext ctx;                 // owned: node headers and the cgraph
    private final GraphAllocator alloc;            // owned: the compute buffer
    private final SelectionInputWriter writer;     // owned
    private final Arena staging = Arena.ofShared(); // owned: host copies of Q and the mask
    private final GgmlBackend backend;             // borrowed
    private final AttentionShape shape;
    private final MemorySegment gf, q, mask;       // borrowed from ctx
    private final SelectionInputs in;
    private MemorySegment maskHost = MemorySegment.NULL;

    LayerGraph(GgmlBackend backend, KvPair cache, AttentionShape shape, SparseAttentionSettings settings) {
        this.backend = backend;
        this.shape = shape;
        this.ctx = GgmlContext.metadata(512, 1024);
        this.alloc = new GraphAllocator(backend.bufferType());
        this.writer = new SelectionInputWriter(settings);
        MemorySegment ctx0 = ctx.handle();
        gf = ggml_new_graph_custom(ctx0, 1024, false);
        q = input(ggml_new_tensor_3d(ctx0, GGML_TYPE_F32(), shape.headDim(), shape.heads(), shape.queryRows()), "q");
        in = SelectionInputs.create(ctx0, settings, shape);
        mask = in.mode() == AttentionMode.DENSE      // sparse modes build their own mask over the selected cells
                ? input(ggml_new_tensor_2d(ctx0, GGML_TYPE_F16(), shape.window(), shape.queryRows()), "mask") : null;
        SparseAttentionBuilder b = new SparseAttentionBuilder(ctx0, shape, in, mask);
        MemorySegment out = b.attention(q, cache.keys(ctx0, shape), cache.values(ctx0, shape), 0);
        ggml_set_output(out);
        ggml_build_forward_expand(gf, out);
        alloc.reserve(gf);
        alloc.allocate(gf);
    }

    /** Binds Q, the causal mask and the selection inputs of {@code block}; returns the seconds compute took. */
    double run(float[] qValues, QueryBlock block, ChunkMap chunks) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment qs = a.allocateFrom(ValueLayout.JAVA_FLOAT, qValues);
            llama_h.ggml_backend_tensor_set(q, qs, 0, qs.byteSize());
        }
        if (mask != null) writeMask(block);
        writer.write(in, block, chunks);
        long t0 = System.nanoTime();
        backend.compute(gf);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Row r of the block sees cells seqStart..firstCell+r; padding rows see seqStart only. */
    private void writeMask(QueryBlock block) {
        int w = shape.window(), t = shape.queryRows();
        long bytes = 2L * w * t;
        if (maskHost.byteSize() < bytes) maskHost = staging.allocate(bytes, 64);
        maskHost.fill((byte) 0);
        short negInf = (short) 0xFC00;
        for (int r = 0; r < t; r++) {
            int hi = r < block.rows() ? block.firstCell() + r : block.seqStart();
            long row = 2L * w * r;
            for (int c = 0; c < w; c++) {
                if (c < block.seqStart() || c > hi) maskHost.set(ValueLayout.JAVA_SHORT, row + 2L * c, negInf);
            }
        }
        llama_h.ggml_backend_tensor_set(mask, maskHost, 0, bytes);
    }

    /** What the graph really runs (dense when the budget covers the window). */
    String mode() {
        return in.mode().cliName();
    }

    long computeBufferBytes() {
        return alloc.bufferSize();
    }

    private static MemorySegment input(MemorySegment t, String name) {
        ggml_set_input(t);
        return Tensors.named(t, name);
    }

    @Override
    public void close() {
        writer.close();
        alloc.close();
        ctx.close();
        staging.close();
    }
}
