package dev.canopy.engine.kv;

import dev.canopy.engine.model.ModelHparams;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.MemorySegment;

/**
 * The KV of a model with sliding-window layers, split like llama.cpp's llama_kv_cache_iswa: the
 * full-attention layers keep every cell of the context ([kvWidth, cells + 1] per layer, cell =
 * the caller's bookkeeping as in {@link DenseKvCache}), the sliding-window layers only a ring of
 * n_swa + a step's rows per sequence ([kvWidth, ring cells + 1], see {@link SwaRing}). Their KV
 * then grows with the window, not the context. Owns both halves.
 */
public final class IswaKvCache implements KvCache {
    private final DenseKvCache full;  // owned: the full-attention layers
    private final DenseKvCache swa;   // owned: the sliding-window layers' rings
    private final SwaRing ring;
    private final boolean[] isSwa;    // per model layer
    private final int[] index;        // per model layer: its tensor in full or swa
    private final int cells;

    private IswaKvCache(DenseKvCache full, DenseKvCache swa, SwaRing ring, boolean[] isSwa, int[] index, int cells) {
        this.full = full;
        this.swa = swa;
        this.ring = ring;
        this.isSwa = isSwa;
        this.index = index;
        this.cells = cells;
    }

    /**
     * The KV for {@code hp}: an iSWA cache when some layers slide and others do not, else a
     * {@link DenseKvCache} of {@code cells} (a model whose every layer slides keeps 0068's full-size
     * cache: its graphs would leave the full-layer inputs unused, so ggml would not allocate them). {@code slots} sequences of {@code stride} full-cache cells each run steps of
     * at most {@code stepRows} rows per sequence.
     */
    public static KvCache allocate(GgmlBackend backend, ModelHparams hp, int cells, int slots, int stride,
                                   int stepRows, int type) {
        return allocate(KvBufferTypes.all(backend), hp, cells, slots, stride, stepRows, type);
    }

    /** As above, each layer's KV in the buffer type {@code types} gives for it (host or device memory). */
    public static KvCache allocate(KvBufferTypes types, ModelHparams hp, int cells, int slots, int stride,
                                   int stepRows, int type) {
        if (hp.headDim() % llama_h.ggml_blck_size(type) != 0) {   // ggml would abort on the per-head views
            throw new IllegalArgumentException("a " + Tensors.typeName(type) + " KV cache needs a head size that is a multiple of "
                    + llama_h.ggml_blck_size(type) + "; this model's is " + hp.headDim() + " (use an F16 KV)");
        }
        if (!hp.variant().anySwa()) return DenseKvCache.allocate(types, hp.layers(), hp.kvWidth(), cells, type);
        int nSwa = hp.variant().slidingWindow();
        SwaRing ring = new SwaRing(nSwa, SwaRing.cellsFor(nSwa, stepRows, stride), slots, stride);
        boolean[] isSwa = new boolean[hp.layers()];
        int[] index = new int[hp.layers()];
        int nFull = 0, nSwaLayers = 0;
        for (int il = 0; il < hp.layers(); il++) {
            isSwa[il] = hp.variant().isSwa(il);
            index[il] = isSwa[il] ? nSwaLayers++ : nFull++;
        }
        int[] fullIds = new int[nFull], swaIds = new int[nSwaLayers];
        if (nFull == 0) return DenseKvCache.allocate(types, hp.layers(), hp.kvWidth(), cells, type);
        for (int il = 0; il < hp.layers(); il++) (isSwa[il] ? swaIds : fullIds)[index[il]] = il;
        DenseKvCache f = DenseKvCache.allocate(types, fullIds, hp.kvWidth(), cells, type, "cache");
        try {
            DenseKvCache s = DenseKvCache.allocate(types, swaIds, hp.kvWidth(), ring.cells(), type, "cache_swa");
            return new IswaKvCache(f, s, ring, isSwa, index, cells);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    @Override public int cells() { return cells; }
    @Override public SwaRing swaRing() { return ring; }
    @Override public int swaScratchCell() { return ring.cells(); }
    @Override public int type() { return swa.type(); }

    @Override
    public MemorySegment keys(int layer) {
        return isSwa[layer] ? swa.keys(index[layer]) : full.keys(index[layer]);
    }

    @Override
    public MemorySegment values(int layer) {
        return isSwa[layer] ? swa.values(index[layer]) : full.values(index[layer]);
    }

    /** Bytes held by both halves. */
    @Override
    public long bytes() {
        return swaBytes() + full.bytes();
    }

    /** Bytes held by the sliding-window layers' rings. */
    public long swaBytes() {
        return swa.bytes();
    }

    @Override
    public void close() {
        swa.close();
        full.close();
    }
}
