package dev.canopy.engine.graph;

import dev.canopy.engine.kv.KvCache;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.sparse.SparseAttentionBuilder;
import dev.canopy.engine.weights.LayerWeights;

import java.lang.foreign.MemorySegment;

import static dev.canopy.natives.ffi.llama_h.*;

/**
 * One layer's self-attention over the KV cache, like llama.cpp's build_attn: writes the chunk's K
 * and V into the cache, attends over the cache window (dense with the layer's mask, full or
 * sliding-window, or sparse with the keys it selects) and projects the heads back. Sliding-window
 * layers of an iSWA cache write to and read their ring ({@code inp_kv_rows_swa}, {@code inp_kq_mask_swa}).
 */
final class KvAttention {
    private final MemorySegment ctx0;   // borrowed: the graph's ggml context
    private final MemorySegment gf;     // borrowed: the graph
    private final ModelHparams hp;
    private final KvCache kv;           // borrowed
    private final GraphInputs in;
    private final SparseAttentionBuilder sparse; // null when the graph is dense
    private final Blocks b;
    private final long window;
    private final long tokens;
    private final long swaWindow;       // cells the sliding-window layers read (of their ring, when they have one)
    private final KvSlots slots;        // the sequence slots read side by side (or the cache from cell 0)

    KvAttention(MemorySegment ctx0, MemorySegment gf, ModelHparams hp, KvCache kv, GraphInputs in,
                SparseAttentionBuilder sparse, Blocks b, GraphShape shape, int swaWindow) {
        this.ctx0 = ctx0;
        this.gf = gf;
        this.hp = hp;
        this.kv = kv;
        this.in = in;
        this.sparse = sparse;
        this.b = b;
        this.window = shape.window();
        this.tokens = shape.tokens();
        this.swaWindow = swaWindow;
        this.slots = shape.slots();
    }

    /** Rows of the graph (T). */
    long tokens() {
        return tokens;
    }

    /** The context in KV cells (llama.cpp's n_ctx_seq: picks phi3's long or short RoPE factors). */
    int contextCells() {
        return kv.contextCells();
    }

    /**
     * Attention of layer {@code il} for roped Q [headDim, heads, T] (named "Qcur_rope-il"), K
     * [headDim, kvHeads, T] and V [headDim, kvHeads, T]: -> [embedding, T].
     */
    MemorySegment attend(LayerWeights l, MemorySegment qRoped, MemorySegment k, MemorySegment v, int il) {
        return attend(l, qRoped, k, v, null, il);
    }

    /**
     * As above, but with a {@code block} only its rows attend (every row still writes its K and V;
     * sparse attention still selects keys with every row): -> [embedding, OutputBlock.ROWS].
     * Full-context layers only.
     */
    MemorySegment attend(LayerWeights l, MemorySegment qRoped, MemorySegment k, MemorySegment v, OutputBlock block, int il) {
        // the cache writes must run before the attention reads the cache: expand them first
        boolean swa = hp.variant().isSwa(il);
        MemorySegment rows = swa && in.swaRows() != null ? in.swaRows() : in.kvRows();  // I64 [T]: ring or context cells
        long win = swa ? swaWindow : window;
        if (kv.readsQueries()) ggml_set_output(qRoped);                          // the KV tiers select pages with it
        ggml_build_forward_expand(gf, qRoped);
        ggml_build_forward_expand(gf, b.store(kv.values(il), v, rows, tokens, "cache_v_store", il));
        ggml_build_forward_expand(gf, b.store(kv.keys(il), k, rows, tokens, "cache_k_store", il));

        float qScale = hp.variant().queryScale();                                // gemma, phi3: Q scaled, kq scale 1
        MemorySegment q = qScale != 0f ? b.scale(qRoped, qScale, "Qcur_scaled", il) : qRoped; // [headDim, heads, T]
        // a ring layer's slots are its ring's, of cellsPerSlot cells each; other layers' are the batch's slots
        long slotCells = swa && kv.swaRing() != null ? kv.swaRing().cellsPerSlot() : slots.slotCells();
        long first = slots.first() * slotCells;
        MemorySegment kWin = b.cacheView(kv.keys(il), win, first, slotCells, slots.streams(), "cache_k_win", il);   // [headDim, kvHeads, win, streams]
        MemorySegment vWin = b.cacheView(kv.values(il), win, first, slotCells, slots.streams(), "cache_v_win", il); // [headDim, kvHeads, win, streams]
        if (sparse != null) {                                                     // [embedding, T] (or [embedding, ROWS])
            MemorySegment heads = sparse.attention(q, kWin, vWin, block == null ? null : block.rows(), il);
            return b.attentionOutput(l, heads, block == null ? tokens : OutputBlock.ROWS, il);
        }
        MemorySegment mask = swa ? in.swaMask() : in.mask();                     // F16 [win, T] ([win, T/streams, 1, streams])
        if (block != null) {
            q = b.blockRows(q, block.rows(), "Qcur_block", il);                   // [headDim, heads, ROWS]
            mask = b.maskRows(mask, block.rows(), "kq_mask_block", il);           // F16 [win, ROWS]
            return b.attention(l, q, kWin, vWin, mask, OutputBlock.ROWS, 1, il);   // [embedding, ROWS]
        }
        return b.attention(l, q, kWin, vWin, mask, tokens, slots.streams(), il);  // [embedding, T]
    }
}
