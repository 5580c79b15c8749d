package dev.canopy.engine.sparse;

import java.lang.foreign.MemorySegment;

import dev.canopy.natives.ggml.Tensors;

import static dev.canopy.engine.sparse.SelectionOps.cb;
import static dev.canopy.natives.ffi.llama_h.*;

/**
 * ggml's fused flash attention with F32 accumulation, as llama.cpp's build_attn_mha runs it with
 * flash attention on: the one builder of it, for the dense graphs' attention over the cache window
 * and for sparse attention over the keys it gathered. Shapes ggml-style, fastest dimension first;
 * T = query rows, n = keys, S = streams (sequence slots read side by side; absent for one).
 */
public final class FlashAttention {
    /**
     * Query rows from which ggml's CPU kernel tiles the attention (its GGML_FA_TILE_Q). It tiles
     * only F16/F32 keys and values: over a quantized KV (q8_0, q4_0) a multi-row step takes the
     * row-by-row kernel instead, which made a prefill chunk about 4x slower than over an F16 KV
     * (decision 0195). Such steps read a dequantized F32 copy of the window.
     */
    static final long TILED_ROWS = 64;

    private final MemorySegment ctx0;   // borrowed: the graph's ggml context
    private final float kqScale;
    private final float softcap;        // attention logit soft-capping (gemma2), 0 for none

    public FlashAttention(MemorySegment ctx0, float kqScale, float softcap) {
        this.ctx0 = ctx0;
        this.kqScale = kqScale;
        this.softcap = softcap;
    }

    /**
     * Q [hd, H, T(, S)] over K, V [hd, Hkv, n(, S)] under the F16 mask [n, T(, 1, S)] (0 visible,
     * -inf hidden): -> [hd, H, T(, S)] F32, named {@code name}-il.
     */
    public MemorySegment attend(MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment mask, String name, int il) {
        if (Tensors.ne(q, 2) >= TILED_ROWS) {                                        // a multi-row step: tile it
            k = dequantized(k, "k_f32", il);                                         // [hd, Hkv, n(, S)] F32
            v = dequantized(v, "v_f32", il);                                         // [hd, Hkv, n(, S)] F32
        }
        MemorySegment qp = cb(ggml_permute(ctx0, q, 0, 2, 1, 3), "q_perm", il);   // [hd, T, H(, S)]
        MemorySegment kp = cb(ggml_permute(ctx0, k, 0, 2, 1, 3), "k_perm", il);   // [hd, n, Hkv(, S)]
        MemorySegment vp = cb(ggml_permute(ctx0, v, 0, 2, 1, 3), "v_perm", il);   // [hd, n, Hkv(, S)]
        MemorySegment fa = ggml_flash_attn_ext(ctx0, qp, kp, vp, mask, kqScale, 0f, softcap); // [hd, H, T(, S)]
        ggml_flash_attn_ext_set_prec(fa, GGML_PREC_F32());
        return cb(fa, name, il);
    }

    /** A quantized K or V window as F32 (exact: a q8_0/q4_0 value is its scale times a small integer); others as they are. */
    private MemorySegment dequantized(MemorySegment t, String name, int il) {
        if (!ggml_is_quantized(Tensors.type(t))) return t;
        return cb(ggml_cast(ctx0, t, GGML_TYPE_F32()), name, il);
    }
}
