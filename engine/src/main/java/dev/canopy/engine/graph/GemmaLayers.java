package dev.canopy.engine.graph;

import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.weights.LayerWeights;
import dev.canopy.engine.weights.ModelWeights;

import java.lang.foreign.MemorySegment;

import static dev.canopy.engine.graph.Blocks.cb;
import static dev.canopy.natives.ffi.llama_h.*;

/**
 * The decoder layers of gemma2 and gemma3 (llama.cpp's src/models/gemma2.cpp, gemma3.cpp): the
 * embeddings scaled by sqrt(n_embd); RMS norms before and after both the attention and the
 * GELU-gated FFN; gemma3 adds per-head Q/K norms. Sliding-window layers take their own mask and
 * RoPE base ({@link KvAttention}, {@link Blocks#rope}); attention soft-capping is in the kernel.
 */
final class GemmaLayers {
    private GemmaLayers() {}

    /** Token embeddings [embedding, T] -> the last layer's output rows [embedding, outputs]. */
    static MemorySegment build(MemorySegment ctx0, ModelHparams hp, ModelWeights weights, Blocks b, KvAttention att,
                               GraphInputs in, MemorySegment inpEmbd) {
        MemorySegment inpL = b.scale(inpEmbd, (float) Math.sqrt(hp.embedding()), "inp_scaled", -1); // [embedding, T]
        for (int il = 0; il < hp.layers(); il++) {
            LayerWeights l = weights.layer(il);
            MemorySegment cur = b.rmsNorm(inpL, l.attnNorm(), "attn_norm", il);           // [embedding, T]

            Qkv qkv = b.qkv(l, cur, att.tokens(), il);                                    // [headDim, heads|kvHeads, T]
            MemorySegment q = b.rope(qkv.q(), in.positions(), null, "Qcur_rope", il);    // [headDim, heads, T]
            MemorySegment k = b.rope(qkv.k(), in.positions(), null, "Kcur_rope", il);    // [headDim, kvHeads, T]
            cur = att.attend(l, q, k, qkv.v(), il);                                       // [embedding, T]

            if (il == hp.layers() - 1) {                                                  // keep only the output rows
                cur = cb(ggml_get_rows(ctx0, cur, in.outputIds()), "attn_out_rows", il); // [embedding, outputs]
                inpL = cb(ggml_get_rows(ctx0, inpL, in.outputIds()), "inp_rows", il);
            }
            cur = b.rmsNorm(cur, l.attnPostNorm(), "attn_post_norm", il);                 // [embedding, T]
            MemorySegment saOut = cb(ggml_add(ctx0, cur, inpL), "sa_out", il);            // [embedding, T]

            cur = b.rmsNorm(saOut, l.ffnNorm(), "ffn_norm", il);                          // [embedding, T]
            cur = b.ffnGelu(l, cur, il);                                                  // [embedding, T]
            cur = b.rmsNorm(cur, l.ffnPostNorm(), "ffn_post_norm", il);                   // [embedding, T]
            inpL = cb(ggml_add(ctx0, cur, saOut), "l_out", il);                           // [embedding, T]
        }
        return inpL;
    }
}
