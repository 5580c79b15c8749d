package dev.canopy.engine.runtime;

import dev.canopy.engine.graph.ForwardGraph;
import dev.canopy.engine.graph.TransformerGraphBuilder;
import dev.canopy.engine.kv.KvCache;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.weights.ModelWeights;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.ggml.GraphAllocator;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs forward steps of one model over one KV cache on one backend: picks the graph family for
 * the step's shape (prefill chunk, single-token decode, batch), the KV window bucket for the
 * cells in use, binds the inputs, computes, and reads the logits back. Owns its graph families
 * and staging memory; borrows the backend, weights and cache.
 */
public final class ForwardPass implements AutoCloseable {
    private final ModelHparams hp;
    private final GgmlBackend backend;              // borrowed
    private final KvCache kv;                       // borrowed
    private final TransformerGraphBuilder builder;
    private final WindowPolicy windows;
    private final InputWriter inputs;               // owned
    private final Arena logitsArena = Arena.ofShared(); // owned: host copy of the logits
    private final Map<Long, GraphFamily> families = new HashMap<>(); // owned, by (tokens, outputs)
    private MemorySegment logitsHost = MemorySegment.NULL;

    public ForwardPass(ModelHparams hp, ModelWeights weights, KvCache kv, GgmlBackend backend, WindowPolicy windows) {
        this.hp = hp;
        this.backend = backend;
        this.kv = kv;
        this.windows = windows;
        this.builder = new TransformerGraphBuilder(hp, weights, kv);
        this.inputs = new InputWriter(backend.isCpu(), kv.scratchCell());
    }

    /**
     * Computes {@code step} on a graph of {@code graphTokens} rows (the step is padded up to it)
     * and {@code graphOutputs} output rows; returns the logits of the step's output rows.
     */
    public float[][] run(Step step, int graphTokens, int graphOutputs) {
        GraphFamily family = family(graphTokens, graphOutputs);
        Step s = kv.beforeStep(step);   // a paged cache gathers what the step attends to
        int window = windows.window(s.cellsNeeded(), kv.cells());
        ForwardGraph g = family.prepare(window);
        inputs.write(g.inputs(), g.shape(), s);
        backend.compute(g.cgraph());
        kv.afterStep(g.cgraph());
        return readLogits(g, step.outputRows().length);
    }

    private float[][] readLogits(ForwardGraph g, int rows) {
        long rowBytes = 4L * hp.vocab();
        long bytes = rowBytes * rows;
        MemorySegment src;
        if (backend.isCpu()) {
            src = Tensors.hostData(g.logits(), bytes);   // host memory: read in place
        } else {
            if (logitsHost.byteSize() < bytes) logitsHost = logitsArena.allocate(bytes, 64);
            llama_h.ggml_backend_tensor_get(g.logits(), logitsHost, 0, bytes);
            src = logitsHost;
        }
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = src.asSlice(r * rowBytes, rowBytes).toArray(ValueLayout.JAVA_FLOAT);
        }
        return out;
    }

    /** The graph family of a (tokens, outputs) shape, created with its compute buffer on first use. */
    private GraphFamily family(int tokens, int outputs) {
        long key = ((long) tokens << 32) | outputs;
        GraphFamily f = families.get(key);
        if (f == null) {
            GraphAllocator alloc = new GraphAllocator(backend.bufferType());
            try {
                f = new GraphFamily(tokens, outputs, kv.cells(), builder, alloc);
            } catch (RuntimeException e) {
                alloc.close();
                throw e;
            }
            families.put(key, f);
        }
        return f;
    }

    /** Reserves the compute buffer of a (tokens, outputs) shape now, and returns its size in bytes. */
    public long reserve(int tokens, int outputs) {
        return family(tokens, outputs).computeBufferBytes();
    }

    /** Bytes of the compute buffer of a (tokens, outputs) shape (0 when it was never used). */
    public long computeBufferBytes(int tokens, int outputs) {
        GraphFamily f = families.get(((long) tokens << 32) | outputs);
        return f == null ? 0 : f.computeBufferBytes();
    }

    /** Graphs built so far for a (tokens, outputs) shape. */
    public int graphsBuilt(int tokens, int outputs) {
        GraphFamily f = families.get(((long) tokens << 32) | outputs);
        return f == null ? 0 : f.graphsBuilt();
    }

    public ModelHparams hparams() { return hp; }
    public KvCache cache() { return kv; }

    @Override
    public void close() {
        families.values().forEach(GraphFamily::close);
        families.clear();
        inputs.close();
        logitsArena.close();
    }
}
