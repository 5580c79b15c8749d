package dev.canopy.engine.runtime;

import dev.canopy.engine.graph.ForwardGraph;
import dev.canopy.engine.graph.KvSlots;
import dev.canopy.engine.graph.TransformerGraphBuilder;
import dev.canopy.engine.kv.KvCache;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.sparse.AttentionPath;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.engine.weights.ModelWeights;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs forward steps of one model over one KV cache on its backends: picks the graph family for
 * the step's shape (prefill chunk, single-token decode, batch), the KV window bucket for the
 * cells in use, binds the inputs, computes, and reads the logits back. Owns its graph families
 * and staging memory; borrows the backends, weights and cache.
 */
public final class ForwardPass implements AutoCloseable {
    private final ModelHparams hp;
    private final ComputeBackends backends;         // borrowed
    private final KvCache kv;                       // borrowed
    private final TransformerGraphBuilder builder;
    private final WindowPolicy windows;
    private final InputWriter inputs;               // owned
    private final SelectionFeed selection;          // owned: the host side of sparse attention, or null when dense
    private final Arena logitsArena = Arena.ofShared(); // owned: host copy of the logits
    private final Map<Long, GraphFamily> families = new HashMap<>(); // owned, by (tokens, outputs)
    private MemorySegment logitsHost = MemorySegment.NULL;
    private final SparseAttentionSettings attention;
    private ForwardGraph last;                      // the graph of the last step
    private GraphFamily lastFamily;                 // its family

    public ForwardPass(ModelHparams hp, ModelWeights weights, KvCache kv, GgmlBackend backend, WindowPolicy windows) {
        this(hp, weights, kv, backend, windows, SparseAttentionSettings.dense());
    }

    /**
     * With sparse {@code attention}, single-sequence steps (prefill chunks, decoded tokens) whose
     * window exceeds the budget select their keys; batches of several sequences stay dense.
     */
    public ForwardPass(ModelHparams hp, ModelWeights weights, KvCache kv, GgmlBackend backend, WindowPolicy windows,
                       SparseAttentionSettings attention) {
        this(hp, weights, kv, ComputeBackends.borrowCpu(backend, hp.layers()), windows, attention);
    }

    /** As above, on the backends of the weights' layer placement (a GPU and the CPU, or the CPU alone). */
    public ForwardPass(ModelHparams hp, ModelWeights weights, KvCache kv, ComputeBackends backends, WindowPolicy windows,
                       SparseAttentionSettings attention) {
        hp.variant().denseOnlyReason().filter(why -> attention.mode().isSparse()).ifPresent(why -> {
            throw new IllegalArgumentException(SparseAttentionSettings.denseOnlyMessage(attention.mode(), hp.arch().ggufName(), why));
        });
        this.hp = hp;
        this.backends = backends;
        this.kv = kv;
        this.windows = windows;
        this.builder = new TransformerGraphBuilder(hp, weights, kv, attention);
        InputWriter.Writes writes = backends.cpuOnly() ? InputWriter.Writes.IN_PLACE : InputWriter.Writes.STAGED;
        this.inputs = new InputWriter(writes, kv.scratchCell(), hp.variant().slidingWindow(), kv.swaRing(), kv.swaScratchCell());
        this.selection = attention.mode().isSparse() ? new SelectionFeed(hp, kv, attention) : null;
        this.attention = attention;
    }

    /** The attention settings of this pass. */
    public SparseAttentionSettings attention() { return attention; }

    /**
     * Computes {@code step} on a graph of {@code graphTokens} rows (the step is padded up to it)
     * and {@code graphOutputs} output rows, its attention {@link AttentionPath#AS_CONFIGURED}; returns
     * the logits of the step's output rows.
     */
    public float[][] run(Step step, int graphTokens, int graphOutputs) {
        return run(step, graphTokens, graphOutputs, AttentionPath.AS_CONFIGURED);
    }

    /**
     * As {@link #run(Step, int, int)} on attention {@code path}: {@link AttentionPath#EVERY_KEY} reads
     * every key even when the attention is sparse (the prompt's last chunk, see
     * SparseAttentionSettings#exactLastChunk).
     */
    public float[][] run(Step step, int graphTokens, int graphOutputs, AttentionPath path) {
        return run(step, graphTokens, graphOutputs, path, KvSlots.whole());
    }

    /** As {@link #run(Step, int, int, AttentionPath, KvSlots)}, as configured (batches of several sequences attend densely). */
    public float[][] run(Step step, int graphTokens, int graphOutputs, KvSlots slots) {
        return run(step, graphTokens, graphOutputs, AttentionPath.AS_CONFIGURED, slots);
    }

    /**
     * As {@link #run(Step, int, int, AttentionPath)} over sequence {@code slots} of a batch cache: each row
     * attends through a view of its own sequence's slot (the slot of its {@code visibleFrom} cell),
     * never over the other sequences' cells. With several streams the step holds at most
     * graphTokens / streams rows per slot, in slot order. Dense attention only.
     */
    public float[][] run(Step step, int graphTokens, int graphOutputs, AttentionPath path, KvSlots slots) {
        return backends.watched(() -> runStep(step, graphTokens, graphOutputs, path, slots)); // a lost worker's zeros are never used
    }

    private float[][] runStep(Step step, int graphTokens, int graphOutputs, AttentionPath path, KvSlots slots) {
        if (slots.sliced() && attention.mode().isSparse()) throw new IllegalArgumentException("sparse attention reads the cache from cell 0");
        GraphFamily family = family(graphTokens, graphOutputs);
        Step s = kv.beforeStep(step);   // a paged cache gathers what the step attends to
        // one-token steps (decode) read only the 256-cell multiple they need: their graphs are
        // cheap to build, and a power-of-two bucket would make them read up to twice the cells
        WindowPolicy policy = graphTokens == slots.streams() ? WindowPolicy.MULTIPLE_OF_256 : windows;
        int window = slots.sliced() ? policy.window(slotCellsNeeded(s, slots), slots.slotCells())
                : policy.window(s.cellsNeeded(), kv.cells());
        ForwardGraph g = family.prepare(window, pathOf(step, s, graphTokens, path), slots);
        inputs.write(g.inputs(), g.shape(), s);
        if (g.inputs().sparse()) selection.write(g.inputs(), window, s);
        family.compute(g);
        kv.afterStep(g.cgraph());
        last = g;
        lastFamily = family;
        return readLogits(g, step.outputRows().length);
    }

    /**
     * The path {@code step} (as the cache gathered it: {@code gathered}) really takes. A dense pass
     * reads every key as configured. A sparse pass reads every key when asked, when its budget holds
     * every key the step can see (the dense graph computes exactly that, without the selection and
     * with the exact kernel), and when a paged cache whose working set could not hold every key
     * gathered a selection of its own (sink, window, the pages bounding the query highest): cells
     * are no longer positions, and attention over that selection is already sparse.
     */
    private AttentionPath pathOf(Step step, Step gathered, int graphTokens, AttentionPath asked) {
        if (!attention.mode().isSparse()) return AttentionPath.AS_CONFIGURED;
        if (asked == AttentionPath.EVERY_KEY) return asked;   // (the budget is not asked for then: it may not fit the step)
        boolean budgetCoversAll = attention.budgetFor(graphTokens) >= step.cellsNeeded();
        boolean pagedSelection = gathered.cells()[0] != step.cells()[0];
        return budgetCoversAll || pagedSelection ? AttentionPath.EVERY_KEY : AttentionPath.AS_CONFIGURED;
    }

    /** One past the highest cell of its own slot any row of {@code step} attends to. */
    private static int slotCellsNeeded(Step step, KvSlots slots) {
        int m = 0;
        for (int r = 0; r < step.rows(); r++) {
            int slot = step.visibleFrom()[r] / slots.slotCells();
            if (slot < slots.first() || slot >= slots.first() + slots.streams()) {
                throw new IllegalArgumentException("row " + r + " belongs to slot " + slot + ", not to " + slots);
            }
            m = Math.max(m, step.visibleTo()[r] - slot * slots.slotCells() + 1);
        }
        return m;
    }

    /**
     * The cells layer {@code il} attended to in the last step (ascending), or null when that step's
     * attention was dense: what sparse attention kept, for tests and diagnostics.
     */
    public int[] lastSelection(int il) {
        MemorySegment sel = last == null ? null : last.selection(il);
        if (sel == null) return null;
        int n = (int) Tensors.ne(sel, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(4L * n);
            llama_h.ggml_backend_tensor_get(sel, host, 0, host.byteSize());
            return host.toArray(ValueLayout.JAVA_INT);
        }
    }

    /** Whether the last step's graph holds a tensor named {@code name} (e.g. "k_f32-0"), for tests and diagnostics. */
    public boolean lastGraphHas(String name) {
        if (last == null) return false;
        try (Arena a = Arena.ofConfined()) {
            return !llama_h.ggml_graph_get_tensor(last.cgraph(), a.allocateFrom(name)).equals(MemorySegment.NULL);
        }
    }

    /** Parts the last step's graph ran in: 1 on the CPU alone, more where layers sit on a GPU. */
    public int lastSplits() {
        return lastFamily == null ? 0 : lastFamily.splits();
    }

    /**
     * Tells sparse attention that the sequence whose first cell is {@code seqStart} was cut back
     * to {@code length} positions (a rewound conversation, a new prompt): what it knew of the
     * positions after is forgotten before they are written again.
     */
    public void truncate(int seqStart, int length) {
        if (selection != null) selection.truncate(seqStart, length);
    }

    /** The DHSA chunk starts (positions) found so far in the sequence whose first cell is {@code seqStart}. */
    public int[] chunkStarts(int seqStart) {
        return selection == null ? new int[0] : selection.chunkStarts(seqStart);
    }

    private float[][] readLogits(ForwardGraph g, int rows) {
        long rowBytes = 4L * hp.vocab();
        long bytes = rowBytes * rows;
        MemorySegment src;
        if (backends.cpuOnly()) {
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
            GraphRunner runner = backends.newRunner(2L * builder.graphCapacity());
            try {
                f = new GraphFamily(tokens, outputs, kv.cells(), paths(), builder, runner);
            } catch (RuntimeException e) {
                runner.close();
                throw e;
            }
            families.put(key, f);
        }
        return f;
    }

    /** The paths this pass's steps may take: a sparse pass also falls back to reading every key. */
    private List<AttentionPath> paths() {
        return attention.mode().isSparse() ? List.of(AttentionPath.AS_CONFIGURED, AttentionPath.EVERY_KEY)
                : List.of(AttentionPath.AS_CONFIGURED);
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
        if (selection != null) selection.close();
        logitsArena.close();
    }
}
