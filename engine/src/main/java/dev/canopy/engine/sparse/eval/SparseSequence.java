package dev.canopy.engine.sparse.eval;

import dev.canopy.engine.kv.DenseKvCache;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.ChunkMap;
import dev.canopy.engine.sparse.KeyStream;
import dev.canopy.engine.sparse.QueryBlock;
import dev.canopy.engine.sparse.SelectionInputWriter;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.engine.weights.ModelWeights;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.ggml.GraphAllocator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * One sequence through the sparse forward graph: fixed-chunk prefill (chunks of C rows, the last
 * one padded, KV windows bucketed to powers of two like the engine) and single-token decode. After
 * every run it feeds the new layer-0 keys to the DHSA boundary detector, the one host round trip
 * per chunk. Cell i holds position i. Owns its backend, cache, graphs, writer and key stream.
 */
final class SparseSequence implements AutoCloseable {
    private record Built(SparseForwardGraph graph, GraphAllocator alloc) {}

    private final ModelHparams hp;
    private final ModelWeights weights;      // borrowed
    private final SparseAttentionSettings settings;
    private final int chunk;
    private final GgmlBackend backend;       // owned
    private final DenseKvCache kv;           // owned
    private final KeyStream keys;            // owned
    private final SelectionInputWriter selection; // owned
    private final Arena staging = Arena.ofShared(); // owned: the host copy of the logits
    private final MemorySegment logitsHost;          // borrowed from staging
    private final Map<Long, Built> graphs = new HashMap<>(); // owned
    private int used;
    private SparseForwardGraph last;
    private long peakComputeBytes;

    SparseSequence(ModelHparams hp, ModelWeights weights, SparseAttentionSettings settings, int cells, int chunk, int threads) {
        this.hp = hp;
        this.weights = weights;
        this.settings = settings;
        this.chunk = chunk;
        this.backend = GgmlBackend.cpu(threads);
        this.kv = DenseKvCache.allocate(backend, hp.layers(), hp.kvWidth(), cells, llama_h.GGML_TYPE_F16());
        this.keys = new KeyStream(kv.keys(0), hp.headDim(), hp.kvHeads(), 0, settings.boundaries());
        this.selection = new SelectionInputWriter(settings);
        this.logitsHost = staging.allocate(4L * hp.vocab(), 64);
    }

    /** Prefills {@code tokens} from position 0 and returns the last token's logits. */
    float[] prefill(int[] tokens) {
        reset();
        float[] logits = null;
        for (int pos = 0; pos < tokens.length; pos += chunk) {
            int n = Math.min(chunk, tokens.length - pos);
            logits = run(java.util.Arrays.copyOfRange(tokens, pos, pos + n), chunk);
        }
        return logits;
    }

    /** Appends one token and returns the logits after it. */
    float[] decode(int token) {
        return run(new int[] {token}, 1);
    }

    void reset() {
        used = 0;
        keys.rewind(0);
    }

    /** The cells every layer kept in the last run (null entries for dense layers), for diagnostics. */
    int[][] lastSelections() {
        int[][] out = new int[hp.layers()][];
        for (int il = 0; il < out.length; il++) {
            MemorySegment sel = last == null ? null : last.attention.selection(il);
            if (sel == null) continue;
            int n = (int) dev.canopy.natives.ggml.Tensors.ne(sel, 0);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment host = a.allocate(4L * n);
                llama_h.ggml_backend_tensor_get(sel, host, 0, host.byteSize());
                out[il] = host.toArray(ValueLayout.JAVA_INT);
            }
        }
        return out;
    }

    /** Layer il's queries of the last run, [rows][heads][headDim] flattened (diagnostics). */
    float[] lastQueries(int il) {
        return read(last.queries[il], 4L * last.rows * hp.heads() * hp.headDim(), false);
    }

    /** Layer il's cached keys of cells [0, cells), [cells][kvHeads][headDim] flattened (diagnostics). */
    float[] cachedKeys(int il, int cells) {
        return read(kv.keys(il), 2L * cells * hp.kvWidth(), true);
    }

    private static float[] read(MemorySegment t, long bytes, boolean f16) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(bytes);
            llama_h.ggml_backend_tensor_get(t, host, 0, bytes);
            if (!f16) return host.toArray(ValueLayout.JAVA_FLOAT);
            float[] out = new float[(int) (bytes / 2)];
            for (int i = 0; i < out.length; i++) out[i] = Float.float16ToFloat(host.getAtIndex(ValueLayout.JAVA_SHORT, i));
            return out;
        }
    }

    int lastRows() {
        return last.rows;
    }

    /** The DHSA chunk starts found so far. */
    int[] chunkStarts() {
        return keys.boundaries().starts();
    }

    double boundaryScore(int position) {
        return keys.boundaries().distance(position);
    }

    long peakComputeBytes() {
        return peakComputeBytes;
    }

    private float[] run(int[] tokens, int rows) {
        int n = tokens.length, first = used;
        if (first + n > kv.cells()) throw new IllegalStateException("the KV cache is full");
        int window = Math.min(kv.cells(), Math.max(first + n, Math.max(256, Integer.highestOneBit(Math.max(1, first + n - 1)) << 1)));
        SparseForwardGraph g = graph(rows, window);
        writeInputs(g, tokens, first);
        backend.compute(g.gf);
        last = g;
        used += n;
        keys.advance(n);
        llama_h.ggml_backend_tensor_get(g.logits, logitsHost, 0, logitsHost.byteSize());
        return logitsHost.toArray(ValueLayout.JAVA_FLOAT);
    }

    private void writeInputs(SparseForwardGraph g, int[] tokens, int first) {
        int n = tokens.length, rows = g.rows;
        int[] ids = new int[rows], pos = new int[rows];
        long[] cells = new long[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = i < n ? tokens[i] : 0;
            pos[i] = i < n ? first + i : 0;
            cells[i] = i < n ? first + i : kv.scratchCell();
        }
        try (Arena a = Arena.ofConfined()) {
            set(g.tokens, a.allocateFrom(ValueLayout.JAVA_INT, ids));
            set(g.positions, a.allocateFrom(ValueLayout.JAVA_INT, pos));
            set(g.kvRows, a.allocateFrom(ValueLayout.JAVA_LONG, cells));
            set(g.outIds, a.allocateFrom(ValueLayout.JAVA_INT, n - 1));
            if (g.mask != null) set(g.mask, a.allocateFrom(ValueLayout.JAVA_SHORT, causalMask(g.window, rows, n, first)));
        }
        QueryBlock block = QueryBlock.of(0, first, n);
        ChunkMap map = g.selection.mode() == AttentionMode.DHSA ? keys.chunkMap(block, g.window) : null;
        selection.write(g.selection, block, map);
    }

    /** F16 [rows][window]: row r sees cells 0..first+r; padding rows see cell 0 only. */
    private static short[] causalMask(int window, int rows, int n, int first) {
        short[] m = new short[window * rows];
        java.util.Arrays.fill(m, (short) 0xFC00);
        for (int r = 0; r < rows; r++) {
            int hi = r < n ? first + r : 0;
            java.util.Arrays.fill(m, r * window, r * window + hi + 1, (short) 0);
        }
        return m;
    }

    private static void set(MemorySegment tensor, MemorySegment values) {
        llama_h.ggml_backend_tensor_set(tensor, values, 0, values.byteSize());
    }

    private SparseForwardGraph graph(int rows, int window) {
        long key = ((long) rows << 32) | window;
        Built b = graphs.get(key);
        if (b == null) {
            SparseForwardGraph g = new SparseForwardGraph(hp, weights, kv, settings, rows, window);
            GraphAllocator alloc = new GraphAllocator(backend.bufferType());
            alloc.reserve(g.gf);
            b = new Built(g, alloc);
            graphs.put(key, b);
            peakComputeBytes = Math.max(peakComputeBytes, alloc.bufferSize());
        }
        b.alloc().allocate(b.graph().gf);
        return b.graph();
    }

    @Override
    public void close() {
        graphs.values().forEach(b -> { b.alloc().close(); b.graph().close(); });
        graphs.clear();
        selection.close();
        keys.close();
        kv.close();
        backend.close();
        staging.close();
    }
}
