package dev.canopy.engine.graph;

/**
 * The static shape of a forward graph: what it is built for and reused for.
 *
 * @param tokens  rows computed per run (the chunk size C; 1 for decode; n for a batch of n sequences)
 * @param outputs rows whose logits are returned (1 for prefill and decode, n for a batch)
 * @param window  KV cells the attention reads (a bucket of the used cells; the mask hides the rest),
 *                of each slot when the graph reads slots
 * @param slots   which sequence slots of the cache the attention reads ({@link KvSlots#whole()}: from cell 0)
 */
public record GraphShape(int tokens, int outputs, int window, KvSlots slots) {
    public GraphShape {
        if (tokens < 1 || outputs < 1 || outputs > tokens || window < 1 || tokens % slots.streams() != 0) {
            throw new IllegalArgumentException("bad graph shape " + tokens + "/" + outputs + "/" + window + "/" + slots);
        }
    }

    /** A graph reading the cache from cell 0. */
    public GraphShape(int tokens, int outputs, int window) {
        this(tokens, outputs, window, KvSlots.whole());
    }

    /** Rows of one stream (all rows unless the graph reads several slots side by side). */
    public int tokensPerStream() {
        return tokens / slots.streams();
    }
}
