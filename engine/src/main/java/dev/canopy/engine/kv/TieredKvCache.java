package dev.canopy.engine.kv;

import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.runtime.Step;
import dev.canopy.kv.DamagedPageException;
import dev.canopy.kv.GatherBuffer;
import dev.canopy.kv.Gathered;
import dev.canopy.kv.KvStats;
import dev.canopy.kv.KvStore;
import dev.canopy.kv.KvType;
import dev.canopy.kv.PageRef;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.GgmlBackend;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The engine's KV over the paged store of kv-offload (LeoAM style): every token's K/V rows live in
 * the store's tiers (device, host, disk), and before each step every layer's pages for that step
 * are gathered, in position order, into a working tensor of {@code attendTokens + 1} rows that the
 * graph reads like a dense cache. The step's own rows are written after the gathered ones and
 * handed to the store after the step. When the working set holds every token, every page is
 * gathered and attention is exactly the dense one; when it does not, each layer gets its sink and
 * recent window plus the pages whose key abstracts bound its latest query highest.
 *
 * <p>One sequence, plain causal steps ({@link Step#causal}). Owns the store and the working
 * tensors; borrows the backend.
 */
public final class TieredKvCache implements KvCache {
    private final TieredKvSetup setup;
    private final GatherBuffer[] gather; // owned, one per layer: [kvWidth, attend + 1] where the layer runs
    private final float[][] queries;     // latest roped query per layer (null until a step ran)
    private KvStore store;               // owned; opened or created on first use
    private Pending pending;
    private float[] lastLogits;
    private int lastLogitsTokens = -1;
    private int recoveries;

    private record Pending(int[] tokens, int firstPosition, int gatheredRows) {}

    private TieredKvCache(TieredKvSetup setup, GatherBuffer[] gather) {
        this.setup = setup;
        this.gather = gather;
        this.queries = new float[setup.layers()][];
    }

    /** Working tensors in {@code backend}'s memory; the store itself opens on first use. */
    public static TieredKvCache create(GgmlBackend backend, ModelHparams hp, java.nio.file.Path modelFile, int contextTokens,
                                       int chunkTokens, int kvType, KvOffload cfg) {
        return create(KvBufferTypes.all(backend), hp, modelFile, contextTokens, chunkTokens, kvType, cfg);
    }

    /**
     * Each layer's working tensors in the buffer type {@code types} gives for it: device memory for
     * the layers on a GPU, so their attention reads the gathered pages where it runs (the store
     * copies device-tier pages there device to device, host and disk pages with one upload).
     */
    public static TieredKvCache create(KvBufferTypes types, ModelHparams hp, java.nio.file.Path modelFile, int contextTokens,
                                       int chunkTokens, int kvType, KvOffload cfg) {
        int deviceLayers = 0;
        for (int l = 0; l < hp.layers(); l++) if (!llama_h.ggml_backend_buft_is_host(types.of(l))) deviceLayers++;
        TieredKvSetup setup = TieredKvSetup.of(hp, modelFile, contextTokens, chunkTokens, KvType.ofGgml(kvType), cfg, deviceLayers);
        GatherBuffer[] g = new GatherBuffer[hp.layers()];
        try {
            for (int l = 0; l < g.length; l++) g[l] = GatherBuffer.allocate(types.of(l), setup.spec().layout(), setup.attendTokens() + 1);
        } catch (RuntimeException e) {
            for (GatherBuffer b : g) if (b != null) b.close();
            throw e;
        }
        return new TieredKvCache(setup, g);
    }

    // ---- KvCache

    @Override public int cells() { return setup.attendTokens(); }
    @Override public int contextCells() { return (setup.contextTokens() + 255) / 256 * 256; } // padded like a dense cache
    @Override public MemorySegment keys(int layer) { return gather[layer].keys(); }
    @Override public MemorySegment values(int layer) { return gather[layer].values(); }
    @Override public int type() { return setup.spec().layout().hotType().ggmlId(); }
    @Override public boolean readsQueries() { return true; }

    @Override
    public long bytes() {
        long b = workingSetBytes();
        if (store != null) b += store.bytesPerTier()[0] + store.bytesPerTier()[1];
        return b;
    }

    /** Bytes of the per-layer working tensors. */
    public long workingSetBytes() {
        long b = 0;
        for (GatherBuffer g : gather) b += g.bytes();
        return b;
    }

    @Override
    public Step beforeStep(Step s) {
        KvStore kv = store();
        int rows = s.rows();
        int first = s.positions()[0];
        for (int i = 0; i < rows; i++) {
            if (s.positions()[i] != first + i || s.cells()[i] != first + i || s.visibleFrom()[i] != 0 || s.visibleTo()[i] != first + i) {
                throw new UnsupportedOperationException("the tiered KV cache runs one sequence of causal steps");
            }
        }
        if (first != kv.tokenCount()) throw new IllegalStateException("step at position " + first + ", the KV holds " + kv.tokenCount() + " tokens");
        if (rows > setup.attendTokens()) throw new IllegalArgumentException("a step of " + rows + " rows exceeds the KV working set");
        int[][] pages = select(kv, first, setup.attendTokens() - rows);
        int gathered = -1;
        for (int l = 0; l < gather.length; l++) {
            Gathered g;
            try {
                g = kv.materialize(l, pages[l], gather[l]);
            } catch (DamagedPageException e) {
                throw damaged(kv, e.page(), e);
            }
            if (gathered >= 0 && g.tokens() != gathered) throw new IllegalStateException("layers gathered different token counts");
            gathered = g.tokens();
        }
        int[] cells = new int[rows], from = new int[rows], to = new int[rows];
        for (int i = 0; i < rows; i++) {
            cells[i] = gathered + i;
            to[i] = gathered + i;
        }
        pending = new Pending(s.tokens(), first, gathered);
        return new Step(s.tokens(), s.positions(), cells, from, to, s.outputRows());
    }

    /** Every page while the working set holds them all; else sink, window and the best bounds for each layer's latest query. */
    private int[][] select(KvStore kv, int held, int budget) {
        int[][] pages = new int[gather.length][];
        boolean dense = held <= budget;
        int sink = Math.min(setup.sinkTokens(), budget / 4);
        int window = Math.max(0, Math.min(setup.windowTokens(), budget - sink - 2 * setup.pageTokens()));
        for (int l = 0; l < pages.length; l++) {
            if (dense) pages[l] = kv.allPages(l);
            else if (queries[l] == null) pages[l] = kv.select(l, new float[setup.queryWidth()], budget, sink, Math.max(0, budget - sink - 2 * setup.pageTokens()));
            else pages[l] = kv.select(l, queries[l], budget, sink, window);
        }
        if (!dense) {
            for (int l = 1; l < pages.length; l++) kv.prefetch(l, pages[l]); // loads overlap with gathering the layers before
        }
        return pages;
    }

    private KvPageDamagedException damaged(KvStore kv, PageRef page, Throwable cause) {
        if (++recoveries > 8) throw new IllegalStateException("KV pages keep failing their checksums; the disk may be failing", cause);
        return new KvPageDamagedException(page.firstPosition(), cause);
    }

    @Override
    public void afterStep(MemorySegment cgraph) {
        Pending p = pending;
        pending = null;
        if (p == null) throw new IllegalStateException("afterStep without beforeStep");
        KvStore kv = store();
        int rows = p.tokens().length;
        kv.addTokens(p.tokens());
        long rowBytes = setup.spec().layout().hotRowBytes();
        long bytes = rows * rowBytes;
        KvType hot = setup.spec().layout().hotType();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment k = a.allocate(bytes, 64), v = a.allocate(bytes, 64);
            for (int l = 0; l < gather.length; l++) {
                llama_h.ggml_backend_tensor_get(gather[l].keys(), k, p.gatheredRows() * rowBytes, bytes);
                llama_h.ggml_backend_tensor_get(gather[l].values(), v, p.gatheredRows() * rowBytes, bytes);
                kv.append(l, p.firstPosition(), rows, k, v, hot);
            }
        }
        float[][] q = QueryTap.read(cgraph, gather.length, setup.queryWidth(), rows - 1);
        for (int l = 0; l < q.length; l++) if (q[l] != null) queries[l] = q[l];
        lastLogits = null;
    }

    // ---- sequence state: resume, truncate, logits

    /**
     * Opens the saved KV of this conversation continued by {@code tokens} (the longest common
     * prefix, every damaged page and what follows it dropped); returns how many tokens it holds.
     * Only before the first step; afterwards returns the tokens held.
     */
    public int resume(int[] tokens) {
        if (store != null) return store.tokenCount();
        store = KvStore.open(setup.spec(), tokens).orElse(null);
        if (store == null) {
            store = KvStore.create(setup.spec());
            return 0;
        }
        List<PageRef> bad = store.verifyAll();
        if (!bad.isEmpty()) store.truncate(bad.stream().mapToInt(PageRef::firstPosition).min().orElseThrow());
        SavedState.restore(store, queries).ifPresent(l -> {
            if (l.tokens() == store.tokenCount()) {
                lastLogits = l.logits();
                lastLogitsTokens = l.tokens();
            }
        });
        return store.tokenCount();
    }

    /** Forgets every token from {@code tokens} on. */
    public void truncate(int tokens) {
        if (store != null && store.tokenCount() > tokens) store.truncate(tokens);
        if (lastLogitsTokens != tokens) lastLogits = null;
    }

    /** Keeps the logits after the last token (saved with the KV, so a reopened chat needs no step). */
    public void rememberLogits(float[] logits) {
        lastLogits = logits;
        lastLogitsTokens = store == null ? -1 : store.tokenCount();
    }

    /** The logits after the first {@code tokens} tokens when known without a step (a resumed conversation), else null. */
    public float[] logitsAfter(int tokens) {
        return lastLogits != null && lastLogitsTokens == tokens && store != null && store.tokenCount() == tokens ? lastLogits.clone() : null;
    }

    // ---- inspection

    public int attendTokens() { return setup.attendTokens(); }
    public boolean dense() { return setup.attendTokens() >= setup.contextTokens(); }
    public KvStats stats() { return store().stats(); }
    public String tierReport() { return store().tierReport() + "; attention working set " + setup.attendTokens() + " tokens/layer (" + (workingSetBytes() >> 10) + " KiB)"; }
    /** The host tier's budget (the RAM budget less the working set when that was derived from it). */
    public long hostTierBytes() { return setup.spec().budgets().hostBytes(); }
    /** Bytes held now per tier: device slots, host slots, page file. */
    public long[] tierBytes() { return store().bytesPerTier(); }

    private KvStore store() {
        if (store == null) store = KvStore.create(setup.spec());
        return store;
    }

    @Override
    public void close() {
        try {
            if (store != null) {
                if (setup.persistent()) {
                    SavedState.attach(store, lastLogits, lastLogitsTokens, queries);
                    store.close();
                } else {
                    store.delete();
                    setup.deleteScratchFolder();
                }
            }
        } finally {
            store = null;
            for (GatherBuffer g : gather) g.close();
        }
    }
}
