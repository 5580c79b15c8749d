package dev.canopy.engine.sparse;


import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

import static dev.canopy.engine.sparse.SelectionOps.cb;
import static dev.canopy.natives.ffi.llama_h.*;

/**
 * Builds the attention of every layer of one graph in the mode of its {@link SelectionInputs}:
 * dense flash attention, or key selection followed by exact flash attention over the gathered
 * keys. One instance per graph (it caches the nodes layers share, like the transposed mask).
 *
 * <pre>
 *   dhsa:   qrep = mean(Q) * sqrt(rows)                       [hd, 1]
 *           s_c  = qrep . mean_h(K_c)                         [W]     per cell
 *           chunk score = sum(s over chunk) / sqrt(len)       [chunks]
 *           cell score  = chunk score of its chunk + bias     [W]     bias: +1e30 forced, -inf hidden
 *           cells = ascending(top_k(cell score, budget))      [n]
 *   topk:   bound_b = sum_i max(q_i min_bi, q_i max_bi)       [W/B]   per key block of B cells
 *           cells = cells of ascending(top_k(bound + bias, n/B))
 *   window: cells = an input (sink + most recent), shared by all layers
 *   then:   K, V = rows of cells; mask = causal mask of cells vs rows; flash_attn_ext(Q, K, V, mask)
 * </pre>
 *
 * The same selection serves every head of a layer; each layer selects again from its own keys.
 */
public final class SparseAttentionBuilder {
    /** Query rows from which ggml's CPU flash attention runs its tiled kernel (GGML_FA_TILE_Q). */
    static final int TILED_ROWS = 64;
    /** The tiled kernel also needs the head size a multiple of the SIMD width (16 floats at most). */
    static final int TILED_HEAD_MULTIPLE = 16;

    private final MemorySegment ctx0;   // borrowed: the graph's ggml context
    private final AttentionShape shape;
    private final SelectionInputs in;
    private final MemorySegment mask;   // borrowed: F16 [W, T], 0 visible / -inf hidden (dense only)
    private final SelectionOps ops;
    private final FlashAttention flash;
    private MemorySegment windowMask;   // F16 [n, T], the window mode's mask, built once per graph
    private MemorySegment selectionMask; // F16 [n, T], dhsa's and topk's mask, built at the first sparse layer
    private final Map<Integer, MemorySegment> selections = new HashMap<>(); // I32 [n] cells kept, by layer

    /**
     * @param mask the graph's F16 [W, T] mask; needed (and read) only when {@code in} runs dense,
     *             sparse modes build the mask of the selected cells themselves (pass null then)
     */
    public SparseAttentionBuilder(MemorySegment ctx0, AttentionShape shape, SelectionInputs in, MemorySegment mask) {
        if (in.mode() == AttentionMode.DENSE && mask == null) throw new IllegalArgumentException("dense attention needs the mask");
        this.ctx0 = ctx0;
        this.shape = shape;
        this.in = in;
        this.mask = mask;
        this.ops = new SelectionOps(ctx0, shape);
        this.flash = new FlashAttention(ctx0, shape.kqScale(), 0f);   // sparse modes refuse soft-capped models
    }

    /** The mode this graph runs (dense when the budget covers the window). */
    public AttentionMode mode() {
        return in.mode();
    }

    /**
     * Attention of Q [hd, H, T] (F32) over the cache views K, V [hd, Hkv, W] of layer {@code il}:
     * -> [hd, H, T] (F32), to be reshaped to [H*hd, T] for the output projection.
     */
    public MemorySegment attention(MemorySegment q, MemorySegment k, MemorySegment v, int il) {
        return attention(q, k, v, null, il);
    }

    /**
     * As above, but only query rows {@code queryRows} (I32 [r], or null for all) attend: the keys
     * are still selected with every row of Q: -> [hd, H, r]. Each row's result is the one it has
     * among all rows (flash attention computes rows independently).
     */
    public MemorySegment attention(MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment queryRows, int il) {
        return switch (in.mode()) {
            case DENSE -> flash(q, k, v, mask, il);
            case DHSA -> gathered(q, k, v, selected(il, dhsaCells(q, k, il)), null, queryRows, il);
            case WINDOW -> gathered(q, k, v, selected(il, in.windowCells()), windowMask(), queryRows, il);
            case TOPK -> gathered(q, k, v, selected(il, topkCells(q, k, il)), null, queryRows, il);
        };
    }

    /** DHSA selection of layer il: I32 [budget] cells, ascending. */
    MemorySegment dhsaCells(MemorySegment q, MemorySegment k, int il) {
        MemorySegment qrep = ops.queryBlockMean(q, in.queryWeight(), il);        // [hd, 1]
        MemorySegment tok = ops.tokenScores(k, qrep, il);                        // [1, W]
        MemorySegment chunks = ops.chunkScores(tok, in, il);                     // [1, chunks]
        MemorySegment ranked = ops.cellScores(chunks, in, il);                   // [W]
        return ops.topAscending(ranked, in.budget(), "sel_cells", il);          // I32 [budget]
    }

    /** Quest selection of layer il: I32 [budget] cells (whole key blocks), ascending. */
    MemorySegment topkCells(MemorySegment q, MemorySegment k, int il) {
        int block = in.topkBlock();
        MemorySegment qg = ops.queryGroupMean(q, in.queryWeight(), il);                           // [Hkv*hd, 1]
        MemorySegment bound = ops.blockBounds(ops.cellRows(k, "sel_k_rows", il), qg, block, il);  // [W/B]
        MemorySegment ranked = cb(ggml_add(ctx0, bound, in.blockBias()), "sel_block_ranked", il); // [W/B]
        MemorySegment blocks = ops.topAscending(ranked, in.budget() / block, "sel_blocks", il);   // I32 [budget/B]
        return ops.blockCells(blocks, in.blockCells(), il);                                      // I32 [budget]
    }

    /** Exact attention over the selected cells only (their causal mask built unless given). */
    private MemorySegment gathered(MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment cells,
                                   MemorySegment selMask, MemorySegment queryRows, int il) {
        int kvType = gatheredType(Tensors.type(k));
        MemorySegment kSel = ops.gatherRows(ops.cellRows(k, "sel_k_rows", il), cells, kvType, "sel_k", il); // [hd, Hkv, n]
        MemorySegment vSel = ops.gatherRows(ops.cellRows(v, "sel_v_rows", il), cells, kvType, "sel_v", il); // [hd, Hkv, n]
        MemorySegment m = selMask != null ? selMask : selectionMask(cells, il);                          // F16 [n, T]
        if (queryRows != null) {
            q = ops.queryRows(q, queryRows, il);                                                         // [hd, H, r]
            m = ops.maskRows(m, queryRows, il);                                                          // F16 [n, r]
        }
        return flash(q, kSel, vSel, m, il);
    }

    /**
     * The type the gathered K and V rows are handed to flash attention in (get_rows widens them to
     * F32). A query block of at least {@link #TILED_ROWS} rows runs ggml's tiled CPU kernel, which
     * widens every K and V tile to F32 itself, once per tile of query rows: rows of an F16 (or F32)
     * cache stay F32, which gives that kernel the very values it would compute, without a cast node
     * per K and V and without the kernel's per-tile conversions. Fewer rows (a decoded token) run the
     * per-row kernel, whose F16 path rounds Q to F16: those rows go back to the cache's type, so its
     * answers stay those of the dense cache. A quantized cache's rows come back dequantized, as F16
     * (re-quantizing them would round them twice).
     */
    private int gatheredType(int cacheType) {
        if (ggml_is_quantized(cacheType)) return GGML_TYPE_F16();
        boolean tiled = shape.queryRows() >= TILED_ROWS && shape.headDim() % TILED_HEAD_MULTIPLE == 0;
        return tiled ? GGML_TYPE_F32() : cacheType;
    }

    /** Flash attention of Q [hd, H, T] over K/V [hd, Hkv, n] under mask [n, T]: -> [hd, H, T]. */
    private MemorySegment flash(MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment m, int il) {
        return flash.attend(q, k, v, m, in.mode() == AttentionMode.DENSE ? "fattn" : "fattn_sparse", il);
    }

    /**
     * The causal mask over a layer's selected cells, built from the first sparse layer's selection
     * and shared by the rest: every layer keeps exactly {@code budget} visible cells, ascending,
     * ending with the block's own cells (forced, as are the sink blocks for padded rows), and all
     * other kept cells precede the block, visible to every row. So column j is visible to row r
     * in every layer alike, and the ten elementwise ops of the mask run once per graph, not per layer.
     */
    private MemorySegment selectionMask(MemorySegment cells, int il) {
        if (selectionMask == null) selectionMask = ops.selectedMask(cells, in, "sel_mask", il);
        return selectionMask;
    }

    private MemorySegment windowMask() {
        if (windowMask == null) windowMask = ops.selectedMask(in.windowCells(), in, "sel_window_mask", -1);
        return windowMask;
    }

    /**
     * The cells layer {@code il} kept (I32 [budget], ascending), or null for dense attention. A
     * graph output, so it can be read back after compute (tests, evaluation).
     */
    public MemorySegment selection(int il) {
        return selections.get(il);
    }

    private MemorySegment selected(int il, MemorySegment cells) {
        ggml_set_output(cells);
        selections.put(il, cells);
        return cells;
    }
}
