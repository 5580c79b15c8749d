package dev.canopy.engine;

import dev.canopy.engine.kv.SwaRing;

/**
 * How much KV cache a model needs per context length, as Canopy's engine allocates it: every
 * full-attention layer keeps a row per token, a sliding-window layer only its ring (window plus a
 * prefill chunk, padded to 256 cells), rows in F16.
 *
 * @param fullLayers    layers that keep every token
 * @param slidingLayers layers that keep their window only
 * @param window        the sliding window in tokens (0 when no layer slides)
 * @param rowBytes      K and V bytes of one token in one layer (F16)
 */
public record KvFootprint(int fullLayers, int slidingLayers, int window, long rowBytes) {
    private static final int CHUNK = 512;   // the largest default prefill chunk (GPU); the CPU's 256 needs less

    /** A plain model: every layer keeps every token. */
    public static KvFootprint dense(int layers, int kvWidth) {
        return new KvFootprint(layers, 0, 0, 2L * 2 * kvWidth);
    }

    /** KV bytes for a context of {@code tokens}. */
    public long bytes(int tokens) {
        long ring = window > 0 ? SwaRing.cellsFor(window, CHUNK, tokens) : tokens;
        return rowBytes * ((long) fullLayers * tokens + slidingLayers * ring);
    }
}
