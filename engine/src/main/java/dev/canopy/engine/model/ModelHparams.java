package dev.canopy.engine.model;

/**
 * The shape and numeric constants of a model, read from its GGUF metadata.
 *
 * @param arch          the transformer family
 * @param vocab         vocabulary size (rows of the embedding)
 * @param trainContext  training context length (RoPE's n_ctx_orig)
 * @param embedding     hidden size
 * @param layers        transformer blocks
 * @param heads         query heads
 * @param kvHeads       key/value heads
 * @param headDim       size of one head (K and V)
 * @param feedForward   FFN inner size
 * @param ropeDims      rotated dimensions per head
 * @param ropeBase      RoPE frequency base (of the full-attention layers)
 * @param ropeFreqScale RoPE frequency scale (1 / linear scaling factor)
 * @param rmsEps        RMS norm epsilon
 * @param kqScale       attention logit scale (1/sqrt(headDim) unless the model says otherwise; 1 when
 *                      Q is pre-scaled by {@link AttentionVariant#queryScale()})
 * @param variant       sliding windows, soft-capping and query scaling (gemma2, gemma3, phi3)
 */
public record ModelHparams(Architecture arch, int vocab, int trainContext, int embedding, int layers, int heads,
                           int kvHeads, int headDim, int feedForward, int ropeDims, float ropeBase,
                           float ropeFreqScale, float rmsEps, float kqScale, AttentionVariant variant) {

    /** Width of all query heads together. */
    public int queryWidth() { return heads * headDim; }

    /** Width of all key (or value) heads together: one KV cache row. */
    public int kvWidth() { return kvHeads * headDim; }

    /** RoPE frequency base of layer {@code il} (llama.cpp's get_rope_freq_base). */
    public float ropeBase(int il) {
        return variant.isSwa(il) ? variant.ropeBaseSwa() : ropeBase;
    }

    /** RoPE frequency scale of layer {@code il} (llama.cpp's get_rope_freq_scale). */
    public float ropeFreqScale(int il) {
        return variant.isSwa(il) ? variant.ropeFreqScaleSwa() : ropeFreqScale;
    }
}
