package dev.canopy.engine.sparse;

/**
 * The static shape of one attention call in a graph: what the graph is built for.
 *
 * @param headDim   size of one head (K, Q and V)
 * @param heads     query heads
 * @param kvHeads   key/value heads (heads is a multiple of it: grouped-query attention)
 * @param queryRows rows of the query block (the prefill chunk C, or 1 for decode)
 * @param window    KV cells the attention reads (the graph's window W)
 * @param kqScale   attention logit scale
 */
public record AttentionShape(int headDim, int heads, int kvHeads, int queryRows, int window, float kqScale) {
    public AttentionShape {
        if (headDim < 1 || heads < 1 || kvHeads < 1 || heads % kvHeads != 0 || queryRows < 1 || window < 1) {
            throw new IllegalArgumentException("bad attention shape " + headDim + "/" + heads + "/" + kvHeads + "/"
                    + queryRows + "/" + window);
        }
    }

    /** Width of all KV heads together: one KV cache row. */
    public int kvWidth() {
        return headDim * kvHeads;
    }

    /** Query heads per KV head. */
    public int groupSize() {
        return heads / kvHeads;
    }
}
