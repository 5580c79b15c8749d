package dev.canopy.engine.weights;

import dev.canopy.engine.model.Architecture;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.natives.llama.ModelLoadException;

import java.lang.foreign.MemorySegment;

/**
 * Finds the tensors of one transformer block by their GGUF names, as llama.cpp's load_arch_tensors
 * does for each architecture (src/models/*.cpp), and checks the shapes the hyper-parameters imply.
 */
final class LayerTensors {
    private final TensorDirectory dir;
    private final ModelHparams hp;
    private final MemorySegment sharedFreqs; // rope_freqs.weight (llama 3.x), or null
    private final MemorySegment ropeLong;    // rope_factors_long.weight (phi3 LongRoPE), or null
    private final MemorySegment ropeShort;   // rope_factors_short.weight, or null

    LayerTensors(TensorDirectory dir, ModelHparams hp) {
        this.dir = dir;
        this.hp = hp;
        long half = hp.ropeDims() / 2;
        this.sharedFreqs = dir.optional("rope_freqs.weight", half);
        this.ropeLong = dir.optional("rope_factors_long.weight", half);
        this.ropeShort = dir.optional("rope_factors_short.weight", half);
    }

    LayerWeights layer(int il) {
        long e = hp.embedding(), q = hp.queryWidth(), kv = hp.kvWidth(), ff = hp.feedForward(), hd = hp.headDim();
        Architecture arch = hp.arch();
        String b = "blk." + il + ".";
        boolean gemma = arch.layout() == Architecture.Layout.GEMMA;
        MemorySegment wqkv = arch == Architecture.PHI3 ? dir.optional(b + "attn_qkv.weight", e, q + 2 * kv) : null;
        if (arch == Architecture.PHI3 && q != e) {
            throw new ModelLoadException("phi3 model: heads x head size " + q + " differs from the embedding width " + e);
        }
        MemorySegment freqs = dir.optional(b + "rope_freqs.weight", hp.ropeDims() / 2);
        boolean qkNorms = arch == Architecture.GEMMA3;
        return new LayerWeights(
                dir.require(b + "attn_norm.weight", e),
                wqkv,
                wqkv != null ? null : dir.require(b + "attn_q.weight", e, q),
                wqkv != null ? null : dir.require(b + "attn_k.weight", e, kv),
                wqkv != null ? null : dir.require(b + "attn_v.weight", e, kv),
                dir.optional(b + "attn_q.bias", q),
                dir.optional(b + "attn_k.bias", kv),
                dir.optional(b + "attn_v.bias", kv),
                qkNorms ? dir.require(b + "attn_q_norm.weight", hd) : dir.optional(b + "attn_q_norm.weight", hd),
                qkNorms ? dir.require(b + "attn_k_norm.weight", hd) : dir.optional(b + "attn_k_norm.weight", hd),
                dir.require(b + "attn_output.weight", q, e),
                dir.optional(b + "attn_output.bias", e),
                freqs != null ? freqs : sharedFreqs,
                ropeLong,
                ropeShort,
                gemma ? dir.require(b + "post_attention_norm.weight", e) : null,
                dir.require(b + "ffn_norm.weight", e),
                arch == Architecture.PHI3 ? null : dir.require(b + "ffn_gate.weight", e, ff),
                arch == Architecture.PHI3 ? dir.require(b + "ffn_up.weight", e, 2 * ff) : dir.require(b + "ffn_up.weight", e, ff),
                dir.require(b + "ffn_down.weight", ff, e),
                gemma ? dir.require(b + "post_ffw_norm.weight", e) : null);
    }
}
