package dev.canopy.kv;

import java.util.Arrays;

/**
 * The shape of a model's KV cache as the store pages it.
 *
 * <p>Every token has, per layer, one K row and one V row of {@code kvHeads * headDim} values
 * (head after head, as llama.cpp's {@code [n_embd_k_gqa, cells]} cache rows). Keys are stored as
 * the engine computed them (after RoPE), so queries passed to {@link KvStore#select} must be too.
 *
 * @param layers     transformer layers
 * @param kvHeads    KV heads per layer
 * @param headDim    values per head
 * @param queryHeads query heads (a multiple of kvHeads; consecutive query heads share a KV head)
 * @param pageTokens tokens per page, per layer (layers may differ; see {@link #uniform})
 * @param hotType    the row type on device and host and in gathered tensors: F32, F16, or Q8_0 / Q4_0
 *                   (a quantized KV cache; the head size must then be a multiple of 32)
 */
public record KvLayout(int layers, int kvHeads, int headDim, int queryHeads, int[] pageTokens, KvType hotType) {

    public KvLayout {
        if (layers < 1 || kvHeads < 1 || headDim < 1 || queryHeads < 1) {
            throw new IllegalArgumentException("layers, kvHeads, headDim and queryHeads must be positive");
        }
        if (queryHeads % kvHeads != 0) {
            throw new IllegalArgumentException("queryHeads (" + queryHeads + ") must be a multiple of kvHeads (" + kvHeads + ")");
        }
        if (pageTokens == null || pageTokens.length != layers) {
            throw new IllegalArgumentException("pageTokens needs one entry per layer");
        }
        pageTokens = pageTokens.clone();
        for (int p : pageTokens) if (p < 1) throw new IllegalArgumentException("page sizes must be positive");
        if (hotType == null) throw new IllegalArgumentException("hotType is required");
        if (headDim % hotType.blockElements() != 0) {
            throw new IllegalArgumentException(hotType + " KV needs a head size that is a multiple of " + hotType.blockElements() + ", not " + headDim);
        }
    }

    /** The same page size in every layer. */
    public static KvLayout uniform(int layers, int kvHeads, int headDim, int queryHeads, int pageTokens, KvType hotType) {
        int[] p = new int[layers];
        Arrays.fill(p, pageTokens);
        return new KvLayout(layers, kvHeads, headDim, queryHeads, p, hotType);
    }

    /** Values in one K (or V) row: kvHeads * headDim. */
    public int rowElements() {
        return kvHeads * headDim;
    }

    /** Bytes of one hot K (or V) row. */
    public long hotRowBytes() {
        return hotType.rowBytes(rowElements());
    }

    public int pageTokens(int layer) {
        return pageTokens[layer];
    }

    @Override
    public int[] pageTokens() {
        return pageTokens.clone();
    }

    /** The largest page size over the layers (slots are sized for it). */
    public int maxPageTokens() {
        return Arrays.stream(pageTokens).max().orElseThrow();
    }

    /** Bytes of K and V of {@code tokens} tokens over every layer, in the hot type. */
    public long kvBytes(long tokens) {
        return 2L * layers * tokens * hotRowBytes();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvLayout l && layers == l.layers && kvHeads == l.kvHeads && headDim == l.headDim
                && queryHeads == l.queryHeads && Arrays.equals(pageTokens, l.pageTokens) && hotType == l.hotType;
    }

    @Override
    public int hashCode() {
        return ((layers * 31 + kvHeads) * 31 + headDim) * 31 + queryHeads + 17 * Arrays.hashCode(pageTokens) + hotType.hashCode();
    }

    @Override
    public String toString() {
        return "KvLayout[layers=%d, kvHeads=%d, headDim=%d, queryHeads=%d, pageTokens=%s, hotType=%s]"
                .formatted(layers, kvHeads, headDim, queryHeads, Arrays.toString(pageTokens), hotType);
    }
}
