package dev.canopy.engine.graph;

/**
 * The static shape of a forward graph: what it is built for and reused for.
 *
 * @param tokens  rows computed per run (the chunk size C; 1 for decode; n for a batch of n sequences)
 * @param outputs rows whose logits are returned (1 for prefill and decode, n for a batch)
 * @param window  KV cells the attention reads (a bucket of the used cells; the mask hides the rest)
 */
public record GraphShape(int tokens, int outputs, int window) {
    public GraphShape {
        if (tokens < 1 || outputs < 1 || outputs > tokens || window < 1) {
            throw new IllegalArgumentException("bad graph shape " + tokens + "/" + outputs + "/" + window);
        }
    }
}
