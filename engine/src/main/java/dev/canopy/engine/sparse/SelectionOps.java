package dev.canopy.engine.sparse;

import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.MemorySegment;

import static dev.canopy.natives.ffi.llama_h.*;

/**
 * The graph pieces of key selection, each a few ggml nodes added to {@code ctx0} and named
 * "name-il" like llama.cpp's cb(). Shapes are ggml-style, fastest dimension first: hd = head
 * dim, H = query heads, Hkv = KV heads, T = query rows, W = window cells, n = selected cells.
 * Nothing here leaves the graph, so selection runs wherever the graph runs.
 */
final class SelectionOps {
    private final MemorySegment ctx0; // borrowed: the graph's ggml context
    private final AttentionShape s;

    SelectionOps(MemorySegment ctx0, AttentionShape shape) {
        this.ctx0 = ctx0;
        this.s = shape;
    }

    static MemorySegment cb(MemorySegment t, String name, int il) {
        return Tensors.named(t, il < 0 ? name : name + "-" + il);
    }

    /** The cache view [hd, Hkv, W] as one row per cell: [Hkv*hd, W] (no copy). */
    MemorySegment cellRows(MemorySegment kv3d, String name, int il) {
        return cb(ggml_reshape_2d(ctx0, kv3d, s.kvWidth(), s.window()), name, il);
    }

    /**
     * Query block representation of DHSA: the mean of the valid query rows over all heads, times
     * sqrt(valid rows) (the weights are 1/sqrt(valid rows), 0 on padding): [hd, H, T] -> [hd, 1].
     */
    MemorySegment queryBlockMean(MemorySegment q, MemorySegment weights, int il) {
        MemorySegment qw = cb(ggml_mul(ctx0, q, ggml_reshape_3d(ctx0, weights, 1, 1, s.queryRows())), "sel_qw", il); // [hd, H, T]
        MemorySegment flat = ggml_reshape_2d(ctx0, contiguous(qw), s.headDim(), (long) s.heads() * s.queryRows());
        MemorySegment qt = cb(ggml_cont(ctx0, ggml_transpose(ctx0, flat)), "sel_qt", il);                           // [H*T, hd]
        MemorySegment sum = cb(ggml_sum_rows(ctx0, qt), "sel_qsum", il);                                           // [1, hd]
        return cb(ggml_scale(ctx0, ggml_reshape_2d(ctx0, sum, s.headDim(), 1), 1f / s.heads()), "sel_qrep", il);   // [hd, 1]
    }

    /**
     * Query block representation per KV head (the mean over that head's query group and the
     * valid rows), for the Quest bound: [hd, H, T] -> [Hkv*hd, 1], laid out like a cache row.
     */
    MemorySegment queryGroupMean(MemorySegment q, MemorySegment weights, int il) {
        MemorySegment qw = cb(ggml_mul(ctx0, q, ggml_reshape_3d(ctx0, weights, 1, 1, s.queryRows())), "sel_qw", il); // [hd, H, T]
        MemorySegment q4 = ggml_reshape_4d(ctx0, contiguous(qw), s.headDim(), s.groupSize(), s.kvHeads(), s.queryRows()); // [hd, g, Hkv, T]
        MemorySegment p = cb(ggml_cont(ctx0, ggml_permute(ctx0, q4, 2, 0, 3, 1)), "sel_qperm", il);               // [g, T, hd, Hkv]
        MemorySegment rows = ggml_reshape_2d(ctx0, p, (long) s.groupSize() * s.queryRows(), s.kvWidth());          // [g*T, Hkv*hd]
        MemorySegment sum = cb(ggml_sum_rows(ctx0, rows), "sel_qgsum", il);                                        // [1, Hkv*hd]
        return cb(ggml_scale(ctx0, ggml_reshape_2d(ctx0, sum, s.kvWidth(), 1), 1f / s.groupSize()), "sel_qgrep", il); // [Hkv*hd, 1]
    }

    /** Per-cell score s_c = qrep . (key of cell c averaged over KV heads): [hd, Hkv, W], [hd, 1] -> [1, W]. */
    MemorySegment tokenScores(MemorySegment k3d, MemorySegment qrep, int il) {
        MemorySegment heads = ggml_reshape_2d(ctx0, k3d, s.headDim(), (long) s.kvHeads() * s.window());          // [hd, Hkv*W]
        MemorySegment kq = cb(ggml_mul_mat(ctx0, heads, qrep), "sel_kq", il);                                      // [Hkv*W, 1]
        MemorySegment perCell = cb(ggml_sum_rows(ctx0, ggml_reshape_2d(ctx0, kq, s.kvHeads(), s.window())), "sel_kq_sum", il); // [1, W]
        return cb(ggml_scale(ctx0, perCell, 1f / s.kvHeads()), "sel_tok", il);                                    // [1, W]
    }

    /**
     * DHSA chunk scores, [1, W] -> [1, W] (one per chunk, padded): since the chunk representation
     * is sum(keys)/sqrt(len), its dot product with qrep is sum(s_c over the chunk)/sqrt(len),
     * taken from a running sum as cs[last] - cs[first] + s[first] (no W x chunks matrix).
     */
    MemorySegment chunkScores(MemorySegment tok, SelectionInputs in, int il) {
        MemorySegment cs = cb(ggml_cumsum(ctx0, ggml_reshape_1d(ctx0, tok, s.window())), "sel_cumsum", il);       // [W]
        MemorySegment csRows = ggml_reshape_2d(ctx0, cs, 1, s.window());                                            // [1, W]
        MemorySegment atLast = cb(ggml_get_rows(ctx0, csRows, in.chunkLast()), "sel_cs_last", il);                 // [1, chunks]
        MemorySegment atFirst = cb(ggml_get_rows(ctx0, csRows, in.chunkFirst()), "sel_cs_first", il);             // [1, chunks]
        MemorySegment first = cb(ggml_get_rows(ctx0, tok, in.chunkFirst()), "sel_tok_first", il);                 // [1, chunks]
        MemorySegment sum = cb(ggml_add(ctx0, ggml_sub(ctx0, atLast, atFirst), first), "sel_chunk_sum", il);      // [1, chunks]
        return cb(ggml_mul(ctx0, sum, in.chunkScale()), "sel_chunk_score", il);                                    // [1, chunks]
    }

    /** Upsampling: every cell inherits its chunk's score, then the bias forces or hides it: -> [W]. */
    MemorySegment cellScores(MemorySegment chunkScores, SelectionInputs in, int il) {
        MemorySegment up = cb(ggml_get_rows(ctx0, chunkScores, in.tokenChunk()), "sel_upsampled", il);            // [1, W]
        return cb(ggml_add(ctx0, ggml_reshape_1d(ctx0, up, s.window()), in.tokenBias()), "sel_ranked", il);       // [W]
    }

    /**
     * Quest upper bound of every key block of B cells for the query q (per KV head, [Hkv*hd, 1]):
     * sum_i max(q_i*min_i, q_i*max_i) = (q.(max+min) + |q|.(max-min)) / 2, with the per-channel
     * min and max taken by max-pooling over the block: [Hkv*hd, W] -> [W/B].
     */
    MemorySegment blockBounds(MemorySegment cells, MemorySegment qg, int block, int il) {
        MemorySegment k = cb(ggml_cast(ctx0, cells, GGML_TYPE_F32()), "sel_k_f32", il);                          // [Hkv*hd, W]
        MemorySegment kmax = cb(ggml_pool_2d(ctx0, k, GGML_OP_POOL_MAX(), 1, block, 1, block, 0, 0), "sel_kmax", il); // [Hkv*hd, W/B]
        MemorySegment negMax = ggml_pool_2d(ctx0, ggml_neg(ctx0, k), GGML_OP_POOL_MAX(), 1, block, 1, block, 0, 0);
        MemorySegment kmin = cb(ggml_neg(ctx0, negMax), "sel_kmin", il);                                           // [Hkv*hd, W/B]
        MemorySegment mid = cb(ggml_mul_mat(ctx0, ggml_add(ctx0, kmax, kmin), qg), "sel_bound_mid", il);           // [W/B, 1]
        MemorySegment rad = cb(ggml_mul_mat(ctx0, ggml_sub(ctx0, kmax, kmin), ggml_abs(ctx0, qg)), "sel_bound_rad", il); // [W/B, 1]
        MemorySegment bound = ggml_scale(ctx0, ggml_add(ctx0, mid, rad), 0.5f);
        return cb(ggml_reshape_1d(ctx0, bound, s.window() / block), "sel_bound", il);                              // [W/B]
    }

    /** Indices of the k largest entries of a [m] score vector, ascending: -> I32 [k]. */
    MemorySegment topAscending(MemorySegment scores, int k, String name, int il) {
        MemorySegment top = cb(ggml_top_k(ctx0, scores, k), name + "_top", il);                                   // I32 [k], any order
        return ascending(top, name, il);
    }

    /** Sorts an I32 [n] index vector ascending (argsort of its F32 copy, then a gather): -> I32 [n]. */
    MemorySegment ascending(MemorySegment idx, String name, int il) {
        long n = Tensors.ne(idx, 0);
        MemorySegment order = cb(ggml_argsort(ctx0, ggml_cast(ctx0, idx, GGML_TYPE_F32()), GGML_SORT_ORDER_ASC()), name + "_order", il);
        MemorySegment sorted = ggml_get_rows(ctx0, ggml_reshape_2d(ctx0, idx, 1, n), order);                       // I32 [1, n]
        return cb(ggml_reshape_1d(ctx0, sorted, n), name, il);                                                     // I32 [n]
    }

    /** The cells of the chosen key blocks: I32 [kb] block ids -> I32 [kb*B] cells, ascending. */
    MemorySegment blockCells(MemorySegment blocks, MemorySegment table, int il) {
        MemorySegment cells = cb(ggml_get_rows(ctx0, table, blocks), "sel_block_cells", il);                      // I32 [B, kb]
        return cb(ggml_reshape_1d(ctx0, cells, Tensors.ne(cells, 0) * Tensors.ne(cells, 1)), "sel_cells", il);    // I32 [kb*B]
    }

    /** K or V rows of the selected cells, back in the cache's type: [Hkv*hd, W] -> [hd, Hkv, n]. */
    MemorySegment gatherRows(MemorySegment cellRows, MemorySegment cells, int type, String name, int il) {
        MemorySegment rows = cb(ggml_get_rows(ctx0, cellRows, cells), name + "_f32", il);                          // F32 [Hkv*hd, n]
        MemorySegment typed = type == GGML_TYPE_F32() ? rows : ggml_cast(ctx0, rows, type);
        return cb(ggml_reshape_3d(ctx0, typed, s.headDim(), s.kvHeads(), Tensors.ne(cells, 0)), name, il);       // [hd, Hkv, n]
    }

    /** Rows {@code rows} (I32 [r]) of Q [hd, H, T]: -> [hd, H, r]. */
    MemorySegment queryRows(MemorySegment q, MemorySegment rows, int il) {
        long r = Tensors.ne(rows, 0);
        MemorySegment flat = ggml_reshape_2d(ctx0, contiguous(q), (long) s.headDim() * s.heads(), s.queryRows());  // [H*hd, T]
        MemorySegment picked = cb(ggml_get_rows(ctx0, flat, rows), "sel_q_rows", il);                           // [H*hd, r]
        return cb(ggml_reshape_3d(ctx0, picked, s.headDim(), s.heads(), r), "sel_q_block", il);                 // [hd, H, r]
    }

    /** Rows {@code rows} (I32 [r]) of an F16 mask [n, T]: -> F16 [n, r] (exact: 0 and -inf). */
    MemorySegment maskRows(MemorySegment mask, MemorySegment rows, int il) {
        MemorySegment picked = cb(ggml_get_rows(ctx0, mask, rows), "sel_mask_rows_f32", il);                    // F32 [n, r]
        return cb(ggml_cast(ctx0, picked, GGML_TYPE_F16()), "sel_mask_rows", il);                               // F16 [n, r]
    }

    /**
     * The token-level causal mask over the selected cells, built from their cell numbers rather
     * than gathered from the W x T mask: cell c is hidden from row r when c > rowTo[r] or
     * c < rowFrom[r]: I32 [n] -> F16 [n, T] (0 visible, -inf hidden).
     */
    MemorySegment selectedMask(MemorySegment cells, SelectionInputs in, String name, int il) {
        long n = Tensors.ne(cells, 0);
        MemorySegment c = ggml_repeat_4d(ctx0, ggml_reshape_2d(ctx0, ggml_cast(ctx0, cells, GGML_TYPE_F32()), n, 1),
                n, s.queryRows(), 1, 1);                                                                           // [n, T]
        MemorySegment after = ggml_step(ctx0, ggml_sub(ctx0, c, in.rowTo()));                                     // 1 where c > to
        MemorySegment before = ggml_step(ctx0, ggml_neg(ctx0, ggml_sub(ctx0, c, in.rowFrom())));                  // 1 where c < from
        MemorySegment hidden = cb(ggml_add(ctx0, after, before), name + "_hidden", il);                           // [n, T]
        return cb(ggml_cast(ctx0, ggml_scale(ctx0, hidden, -1e30f), GGML_TYPE_F16()), name, il);                // F16 [n, T]
    }

    private MemorySegment contiguous(MemorySegment t) {
        return ggml_is_contiguous(t) ? t : ggml_cont(ctx0, t);
    }
}
