package dev.canopy.engine.runtime;

/**
 * How many KV cells a graph's attention reads, given how many are in use. Attention cost then
 * tracks the real length while a graph is reused for every chunk until the window must grow.
 */
public enum WindowPolicy {
    /** Powers of two from 256: a prompt of L tokens uses about log2(L/256)+1 graphs per chunk size. */
    POWER_OF_TWO,
    /** Multiples of 256, like llama.cpp's KV padding: least masked work, a new graph every 256 cells. */
    MULTIPLE_OF_256,
    /** Always the whole cache: exactly one graph per chunk size. */
    FULL;

    /** The window for {@code used} cells in a cache of {@code capacity}. */
    public int window(int used, int capacity) {
        int w = switch (this) {
            case POWER_OF_TWO -> Math.max(256, Integer.highestOneBit(Math.max(1, used - 1)) << 1);
            case MULTIPLE_OF_256 -> Math.max(256, (used + 255) / 256 * 256);
            case FULL -> capacity;
        };
        return Math.min(Math.max(w, used), capacity);
    }
}
