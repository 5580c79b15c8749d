package dev.canopy.engine.weights;

import java.lang.foreign.MemorySegment;

/**
 * The weight tensors of one transformer block (ggml_tensor pointers, borrowed from
 * {@link ModelWeights}). Optional tensors are {@code null} when the model has none.
 *
 * @param attnNorm  [embedding] RMS norm before attention
 * @param wq        [embedding, heads*headDim]
 * @param wk        [embedding, kvHeads*headDim]
 * @param wv        [embedding, kvHeads*headDim]
 * @param bq        [heads*headDim] or null (qwen2)
 * @param bk        [kvHeads*headDim] or null (qwen2)
 * @param bv        [kvHeads*headDim] or null (qwen2)
 * @param qNorm     [headDim] per-head RMS norm of Q, or null (qwen3)
 * @param kNorm     [headDim] per-head RMS norm of K, or null (qwen3)
 * @param wo        [heads*headDim, embedding]
 * @param bo        [embedding] or null
 * @param ropeFreqs [ropeDims/2] RoPE frequency factors, or null (llama 3.x)
 * @param ffnNorm   [embedding] RMS norm before the FFN
 * @param gate      [embedding, feedForward]
 * @param up        [embedding, feedForward]
 * @param down      [feedForward, embedding]
 */
public record LayerWeights(MemorySegment attnNorm, MemorySegment wq, MemorySegment wk, MemorySegment wv,
                           MemorySegment bq, MemorySegment bk, MemorySegment bv,
                           MemorySegment qNorm, MemorySegment kNorm,
                           MemorySegment wo, MemorySegment bo, MemorySegment ropeFreqs,
                           MemorySegment ffnNorm, MemorySegment gate, MemorySegment up, MemorySegment down) {
}
