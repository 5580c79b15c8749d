package dev.canopy.engine.runtime;

import java.util.Arrays;

/** Collects rows of several sequences into one {@link Step} (batch prefill and batch decode). */
public final class StepBuilder {
    private int[] tokens, positions, cells, from, to;
    private int size;

    public StepBuilder(int capacity) {
        tokens = new int[capacity];
        positions = new int[capacity];
        cells = new int[capacity];
        from = new int[capacity];
        to = new int[capacity];
    }

    /** Adds a row for {@code token} at {@code position}, written to {@code cell}, seeing cells [visibleFrom, cell]. */
    public int add(int token, int position, int cell, int visibleFrom) {
        if (size == tokens.length) throw new IllegalStateException("step is full");
        tokens[size] = token;
        positions[size] = position;
        cells[size] = cell;
        from[size] = visibleFrom;
        to[size] = cell;
        return size++;
    }

    public int size() { return size; }
    public boolean isFull() { return size == tokens.length; }

    /** The step of the rows added so far, returning the logits of {@code outputRows}; then clears. */
    public Step take(int... outputRows) {
        Step s = new Step(Arrays.copyOf(tokens, size), Arrays.copyOf(positions, size), Arrays.copyOf(cells, size),
                Arrays.copyOf(from, size), Arrays.copyOf(to, size), outputRows);
        size = 0;
        return s;
    }
}
