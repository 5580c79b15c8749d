package dev.canopy.engine.weights;

import java.lang.foreign.MemorySegment;

/**
 * The weight tensors of one transformer block (ggml_tensor pointers, borrowed from
 * {@link ModelWeights}). Optional tensors are {@code null} when the model has none.
 *
 * @param attnNorm     [embedding] RMS norm before attention
 * @param wqkv         [embedding, (heads+2*kvHeads)*headDim] fused Q, K, V (phi3), or null
 * @param wq           [embedding, heads*headDim], or null when fused into wqkv
 * @param wk           [embedding, kvHeads*headDim], or null when fused
 * @param wv           [embedding, kvHeads*headDim], or null when fused
 * @param bq           [heads*headDim] or null (qwen2)
 * @param bk           [kvHeads*headDim] or null (qwen2)
 * @param bv           [kvHeads*headDim] or null (qwen2)
 * @param qNorm        [headDim] per-head RMS norm of Q, or null (qwen3, gemma3)
 * @param kNorm        [headDim] per-head RMS norm of K, or null (qwen3, gemma3)
 * @param wo           [heads*headDim, embedding]
 * @param bo           [embedding] or null
 * @param ropeFreqs    [ropeDims/2] RoPE frequency factors, or null (llama 3.x)
 * @param ropeLong     [ropeDims/2] RoPE factors for contexts above the original one, or null (phi3 LongRoPE)
 * @param ropeShort    [ropeDims/2] RoPE factors for contexts within the original one, or null (phi3 LongRoPE)
 * @param attnPostNorm [embedding] RMS norm of the attention output, or null (gemma)
 * @param ffnNorm      [embedding] RMS norm before the FFN
 * @param gate         [embedding, feedForward], or null when fused into up (phi3)
 * @param up           [embedding, feedForward], or [embedding, 2*feedForward] gate then up (phi3)
 * @param down         [feedForward, embedding]
 * @param ffnPostNorm  [embedding] RMS norm of the FFN output, or null (gemma)
 */
public record LayerWeights(MemorySegment attnNorm, MemorySegment wqkv, MemorySegment wq, MemorySegment wk,
                           MemorySegment wv, MemorySegment bq, MemorySegment bk, MemorySegment bv,
                           MemorySegment qNorm, MemorySegment kNorm,
                           MemorySegment wo, MemorySegment bo, MemorySegment ropeFreqs,
                           MemorySegment ropeLong, MemorySegment ropeShort, MemorySegment attnPostNorm,
                           MemorySegment ffnNorm, MemorySegment gate, MemorySegment up, MemorySegment down,
                           MemorySegment ffnPostNorm) {

    /**
     * The RoPE frequency factors for a KV cache of {@code contextCells} cells (llama.cpp's
     * get_rope_factors): rope_freqs when present, else the long factors above
     * {@code origContext} and the short ones within it; null when the layer has none.
     */
    public MemorySegment ropeFactors(int contextCells, int origContext) {
        if (ropeFreqs != null) return ropeFreqs;
        return contextCells > origContext ? ropeLong : ropeShort;
    }
}
