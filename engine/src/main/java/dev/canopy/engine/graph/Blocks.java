package dev.canopy.engine.graph;

import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.sparse.FlashAttention;
import dev.canopy.engine.weights.LayerWeights;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.MemorySegment;

import static dev.canopy.natives.ffi.llama_h.*;

/**
 * The named building blocks of a decoder layer, as in llama.cpp's llm_graph_context: each one
 * adds a few nodes to the graph context {@code ctx0} and names every tensor it creates
 * ("name-layer"). Shapes are written ggml-style, fastest dimension first; T = tokens in the graph.
 */
final class Blocks {
    private final MemorySegment ctx0; // borrowed: the graph's ggml context
    private final ModelHparams hp;
    private final FlashAttention flash;

    Blocks(MemorySegment ctx0, ModelHparams hp) {
        this.ctx0 = ctx0;
        this.hp = hp;
        this.flash = new FlashAttention(ctx0, hp.kqScale(), hp.variant().attnSoftcap());
    }

    /** Names {@code t} "name-il" (or "name" for il < 0), like llama.cpp's cb(). */
    static MemorySegment cb(MemorySegment t, String name, int il) {
        return Tensors.named(t, il < 0 ? name : name + "-" + il);
    }

    /** RMS norm times weight: [n, rows...] -> [n, rows...]. */
    MemorySegment rmsNorm(MemorySegment x, MemorySegment weight, String name, int il) {
        MemorySegment cur = cb(ggml_rms_norm(ctx0, x, hp.rmsEps()), name + "_rms", il);
        return cb(ggml_mul(ctx0, cur, weight), name, il);
    }

    /** weight @ x (+ bias): [in, T] -> [out, T]. */
    MemorySegment linear(MemorySegment weight, MemorySegment bias, MemorySegment x, String name, int il) {
        MemorySegment cur = cb(ggml_mul_mat(ctx0, weight, x), name, il);
        if (bias != null) cur = cb(ggml_add(ctx0, cur, bias), name + "_b", il);
        return cur;
    }

    /** Q, K, V of one layer: [embedding, T] -> [headDim, heads, T], [headDim, kvHeads, T] x 2. */
    Qkv qkv(LayerWeights l, MemorySegment cur, long tokens, int il) {
        MemorySegment q, k, v;
        if (l.wqkv() != null) {                                                   // phi3: one fused matrix
            MemorySegment fused = linear(l.wqkv(), null, cur, "wqkv", il);        // [q+2kv, T]
            q = cb(headView(fused, hp.heads(), tokens, 0), "Qcur_3d", il);          // [headDim, heads, T] (view)
            k = cb(headView(fused, hp.kvHeads(), tokens, hp.queryWidth()), "Kcur_3d", il);
            v = cb(headView(fused, hp.kvHeads(), tokens, hp.queryWidth() + hp.kvWidth()), "Vcur_3d", il);
            v = cb(ggml_cont(ctx0, v), "Vcur_cont", il);                          // the cache store reshapes it
        } else {
            q = linear(l.wq(), l.bq(), cur, "Qcur", il);                          // [heads*headDim, T]
            k = linear(l.wk(), l.bk(), cur, "Kcur", il);                          // [kvHeads*headDim, T]
            v = linear(l.wv(), l.bv(), cur, "Vcur", il);                          // [kvHeads*headDim, T]
            q = cb(ggml_reshape_3d(ctx0, q, hp.headDim(), hp.heads(), tokens), "Qcur_3d", il);
            k = cb(ggml_reshape_3d(ctx0, k, hp.headDim(), hp.kvHeads(), tokens), "Kcur_3d", il);
            v = cb(ggml_reshape_3d(ctx0, v, hp.headDim(), hp.kvHeads(), tokens), "Vcur_3d", il);
        }
        if (l.qNorm() != null) q = rmsNorm(q, l.qNorm(), "Qcur_normed", il);   // qwen3, gemma3: per-head norms
        if (l.kNorm() != null) k = rmsNorm(k, l.kNorm(), "Kcur_normed", il);
        return new Qkv(q, k, v);
    }

    /** {@code heads} heads of a fused [q+2kv, T] projection from element {@code offset}: [headDim, heads, T]. */
    private MemorySegment headView(MemorySegment fused, long heads, long tokens, long offset) {
        int type = Tensors.type(fused);
        return ggml_view_3d(ctx0, fused, hp.headDim(), heads, tokens, ggml_row_size(type, hp.headDim()),
                Tensors.nb(fused, 1), ggml_row_size(type, offset));
    }

    /** RoPE of layer {@code il} at {@code positions} (its own base and scale): [headDim, heads, T] -> same. */
    MemorySegment rope(MemorySegment x, MemorySegment positions, MemorySegment freqFactors, String name, int il) {
        MemorySegment r = ggml_rope_ext(ctx0, x, positions, freqFactors == null ? MemorySegment.NULL : freqFactors,
                hp.ropeDims(), hp.arch().rope().ggmlMode(), hp.variant().ropeOrigContext(), hp.ropeBase(il), hp.ropeFreqScale(il),
                0f, hp.variant().ropeAttnFactor(), 32f, 1f);
        return cb(r, name, il);
    }

    /** x * s: any shape -> same. */
    MemorySegment scale(MemorySegment x, float s, String name, int il) {
        return cb(ggml_scale(ctx0, x, s), name, il);
    }

    /** Soft-capping c * tanh(x / c): any shape -> same. */
    MemorySegment softcap(MemorySegment x, float cap, String name, int il) {
        MemorySegment cur = scale(x, 1f / cap, name + "_scaled", il);
        cur = cb(ggml_tanh(ctx0, cur), name + "_tanh", il);
        return scale(cur, cap, name, il);
    }

    /** Writes K or V [headDim, kvHeads, T] into rows {@code kvRows} of {@code cache} [kvWidth, cells+1]. */
    MemorySegment store(MemorySegment cache, MemorySegment cur, MemorySegment kvRows, long tokens, String name, int il) {
        MemorySegment rows = cb(ggml_reshape_2d(ctx0, cur, hp.kvWidth(), tokens), name + "_rows", il);
        return cb(ggml_set_rows(ctx0, cache, rows, kvRows), name, il);
    }

    /**
     * {@code window} cells of a cache tensor from cell {@code first}: [headDim, kvHeads, window]; with
     * several {@code streams}, the first {@code window} cells of each of the streams' slots of
     * {@code slotCells} cells: [headDim, kvHeads, window, streams].
     */
    MemorySegment cacheView(MemorySegment cache, long window, long first, long slotCells, int streams, String name, int il) {
        int type = Tensors.type(cache);
        long cellBytes = ggml_row_size(type, hp.kvWidth());
        MemorySegment v = streams == 1
                ? ggml_view_3d(ctx0, cache, hp.headDim(), hp.kvHeads(), window,
                        ggml_row_size(type, hp.headDim()), cellBytes, first * cellBytes)
                : ggml_view_4d(ctx0, cache, hp.headDim(), hp.kvHeads(), window, streams,
                        ggml_row_size(type, hp.headDim()), cellBytes, slotCells * cellBytes, first * cellBytes);
        return cb(v, name, il);
    }

    /**
     * Masked multi-head attention of Q [headDim, heads, T] over K, V [headDim, kvHeads, window]
     * with flash attention (F32 accumulation), then the output projection: -> [embedding, T]. With
     * several {@code streams}, K and V are [headDim, kvHeads, window, streams] and stream s's
     * T/streams rows attend to its own K and V only.
     */
    MemorySegment attention(LayerWeights l, MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment mask,
                            long tokens, int streams, int il) {
        if (streams > 1) {                                                        // each stream's rows over its own slot
            q = cb(ggml_reshape_4d(ctx0, q, hp.headDim(), hp.heads(), tokens / streams, streams), "q_streams", il);
        }                                                                         // [headDim, heads, T/streams, streams]
        MemorySegment fa = flash.attend(q, k, v, mask, "fattn", il);              // [headDim, heads, T(/streams, streams)]
        return attentionOutput(l, fa, tokens, il);                                // [embedding, T]
    }

    /** Rows {@code rows} (I32 [n]) of Q [headDim, heads, T]: -> [headDim, heads, n]. */
    MemorySegment blockRows(MemorySegment q, MemorySegment rows, String name, int il) {
        long n = Tensors.ne(rows, 0);
        MemorySegment flat = ggml_reshape_2d(ctx0, q, hp.queryWidth(), Tensors.ne(q, 2));          // [heads*headDim, T]
        MemorySegment picked = ggml_get_rows(ctx0, flat, rows);                                       // [heads*headDim, n]
        return cb(ggml_reshape_3d(ctx0, picked, hp.headDim(), hp.heads(), n), name, il);             // [headDim, heads, n]
    }

    /** Rows {@code rows} (I32 [n]) of an F16 mask [window, T]: -> F16 [window, n] (exact: 0 and -inf). */
    MemorySegment maskRows(MemorySegment mask, MemorySegment rows, String name, int il) {
        MemorySegment picked = cb(ggml_get_rows(ctx0, mask, rows), name + "_f32", il);               // F32 [window, n]
        return cb(ggml_cast(ctx0, picked, GGML_TYPE_F16()), name, il);                                // F16 [window, n]
    }

    /** The output projection of attention heads [headDim, heads, T]: -> [embedding, T]. */
    MemorySegment attentionOutput(LayerWeights l, MemorySegment heads, long tokens, int il) {
        MemorySegment cur = cb(ggml_reshape_2d(ctx0, heads, hp.queryWidth(), tokens), "kqv_out", il); // [heads*headDim, T]
        return linear(l.wo(), l.bo(), cur, "attn_out", il);                       // [embedding, T]
    }

    /**
     * SwiGLU FFN: down(silu(gate x) * up x), or with phi3's fused up matrix (gate rows first)
     * down(swiglu(up x)): [embedding, T] -> [embedding, T].
     */
    MemorySegment ffn(LayerWeights l, MemorySegment x, int il) {
        if (l.gate() == null) {
            MemorySegment up = linear(l.up(), null, x, "ffn_up", il);            // [2*ff, T]
            MemorySegment act = cb(ggml_swiglu(ctx0, up), "ffn_swiglu", il);     // [ff, T]
            return linear(l.down(), null, act, "ffn_out", il);                  // [embedding, T]
        }
        MemorySegment gate = linear(l.gate(), null, x, "ffn_gate", il);          // [ff, T]
        MemorySegment up = linear(l.up(), null, x, "ffn_up", il);                // [ff, T]
        MemorySegment act = cb(ggml_swiglu_split(ctx0, gate, up), "ffn_swiglu", il);
        return linear(l.down(), null, act, "ffn_out", il);                      // [embedding, T]
    }

    /** GELU-gated FFN (gemma): down(gelu(gate x) * up x): [embedding, T] -> [embedding, T]. */
    MemorySegment ffnGelu(LayerWeights l, MemorySegment x, int il) {
        MemorySegment up = linear(l.up(), null, x, "ffn_up", il);                // [ff, T]
        MemorySegment gate = linear(l.gate(), null, x, "ffn_gate", il);          // [ff, T]
        MemorySegment act = cb(ggml_geglu_split(ctx0, gate, up), "ffn_geglu", il); // [ff, T]
        return linear(l.down(), null, act, "ffn_out", il);                      // [embedding, T]
    }
}
