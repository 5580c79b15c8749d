package dev.canopy.engine.graph;

import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.weights.LayerWeights;
import dev.canopy.engine.weights.ModelWeights;

import java.lang.foreign.MemorySegment;

import static dev.canopy.engine.graph.Blocks.cb;
import static dev.canopy.natives.ffi.llama_h.*;

/**
 * The decoder layers of llama, qwen2, qwen3 and phi3 (llama.cpp's src/models/llama.cpp, qwen2.cpp,
 * qwen3.cpp, phi3.cpp): pre-norm attention and a pre-norm SwiGLU FFN, each added to its input.
 */
final class LlamaLayers {
    private LlamaLayers() {}

    /** Token embeddings [embedding, T] -> the last layer's output rows [embedding, outputs]. */
    static MemorySegment build(MemorySegment ctx0, ModelHparams hp, ModelWeights weights, Blocks b, KvAttention att,
                               GraphInputs in, MemorySegment inpL) {
        int origContext = hp.variant().ropeOrigContext();
        for (int il = 0; il < hp.layers(); il++) {
            LayerWeights l = weights.layer(il);
            MemorySegment inpSA = inpL;                                                   // [embedding, T]
            MemorySegment cur = b.rmsNorm(inpL, l.attnNorm(), "attn_norm", il);           // [embedding, T]

            Qkv qkv = b.qkv(l, cur, att.tokens(), il);                                    // [headDim, heads|kvHeads, T]
            MemorySegment factors = l.ropeFactors(att.contextCells(), origContext);        // phi3 LongRoPE, llama 3.x
            MemorySegment q = b.rope(qkv.q(), in.positions(), factors, "Qcur_rope", il); // [headDim, heads, T]
            MemorySegment k = b.rope(qkv.k(), in.positions(), factors, "Kcur_rope", il); // [headDim, kvHeads, T]
            boolean last = il == hp.layers() - 1;
            OutputBlock block = last ? in.outputBlock() : null;                           // the last layer may attend for a block only
            cur = att.attend(l, q, k, qkv.v(), block, il);                                // [embedding, T] (or [embedding, ROWS])

            if (last) {                                                                   // keep only the output rows
                MemorySegment ids = block != null ? block.outputsInBlock() : in.outputIds();
                cur = cb(ggml_get_rows(ctx0, cur, ids), "attn_out_rows", il);             // [embedding, outputs]
                inpSA = cb(ggml_get_rows(ctx0, inpSA, in.outputIds()), "inp_sa_rows", il);
            }
            MemorySegment ffnInp = cb(ggml_add(ctx0, cur, inpSA), "ffn_inp", il);        // [embedding, T]
            cur = b.rmsNorm(ffnInp, l.ffnNorm(), "ffn_norm", il);                         // [embedding, T]
            cur = b.ffn(l, cur, il);                                                      // [embedding, T]
            inpL = cb(ggml_add(ctx0, cur, ffnInp), "l_out", il);                          // [embedding, T]
        }
        return inpL;
    }
}
