package dev.canopy.kv.select;

import dev.canopy.kv.PageAbstract;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Adaptive chunk sizes for one layer (LeoAM's per-layer chunking, simplified).
 *
 * <p>Pages are the unit of storage and transfer; chunks are runs of adjacent sealed pages that
 * selection scores as one, with the merged abstract (min of mins, max of maxes). The rule:
 * <ul>
 *   <li>a page that was not selected for {@value #MERGE_AFTER} consecutive queries is cold;</li>
 *   <li>two adjacent chunks whose pages are all cold merge, up to {@value #MAX_PAGES} pages;</li>
 *   <li>a chunk with a page that gets selected splits back into single pages.</li>
 * </ul>
 * A layer whose attention is concentrated on few pages thus ends up with long chunks (few
 * abstracts to score per query), a layer with diffuse attention stays fine-grained. Selection is
 * exact whatever the chunking: a chunk's bound is >= each member's, and chunks are expanded in
 * bound order (branch and bound, see {@link PageSelector}).
 */
public final class AdaptiveChunks {
    static final int MERGE_AFTER = 4;
    static final int MAX_PAGES = 16;

    /** A run of pages [first, first + count) scored as one. */
    record Chunk(int first, int count, PageAbstract merged) {}

    private List<Chunk> chunks = new ArrayList<>();
    private int[] coldStreak = new int[16];
    private int sealed;

    /** The chunks over sealed pages, in page order. */
    List<Chunk> chunks() {
        return chunks;
    }

    /** Page {@code index} was sealed with abstract {@code a}: it joins as a chunk of one. */
    public void sealed(int index, PageAbstract a) {
        if (index != sealed) throw new IllegalStateException("pages must be sealed in order");
        if (index >= coldStreak.length) coldStreak = java.util.Arrays.copyOf(coldStreak, coldStreak.length * 2);
        coldStreak[index] = 0;
        chunks.add(new Chunk(index, 1, a));
        sealed++;
    }

    /** Forgets every page from {@code sealedPages} on and splits every chunk (after truncate / repair). */
    public void reset(IntFunction<PageAbstract> abstractOf, int sealedPages) {
        chunks = new ArrayList<>();
        sealed = 0;
        for (int i = 0; i < sealedPages; i++) sealed(i, abstractOf.apply(i));
    }

    /**
     * Updates the streaks after a selection ({@code chosen[p]} for every page, sealed or not),
     * splits chunks that had a page selected and merges cold neighbours.
     */
    void observe(boolean[] chosen, IntFunction<PageAbstract> abstractOf) {
        for (int p = 0; p < sealed; p++) coldStreak[p] = chosen[p] ? 0 : Math.min(coldStreak[p] + 1, 1 << 20);
        List<Chunk> out = new ArrayList<>(chunks.size());
        for (Chunk c : chunks) {
            if (c.count > 1 && anyChosen(c, chosen)) {
                for (int p = c.first; p < c.first + c.count; p++) out.add(new Chunk(p, 1, abstractOf.apply(p)));
            } else {
                out.add(c);
            }
        }
        List<Chunk> merged = new ArrayList<>(out.size());
        for (Chunk c : out) {
            Chunk last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && last.count + c.count <= MAX_PAGES && cold(last) && cold(c)) {
                merged.set(merged.size() - 1, new Chunk(last.first, last.count + c.count, last.merged.merge(c.merged)));
            } else {
                merged.add(c);
            }
        }
        chunks = merged;
    }

    private boolean anyChosen(Chunk c, boolean[] chosen) {
        for (int p = c.first; p < c.first + c.count; p++) if (chosen[p]) return true;
        return false;
    }

    private boolean cold(Chunk c) {
        for (int p = c.first; p < c.first + c.count; p++) if (coldStreak[p] < MERGE_AFTER) return false;
        return true;
    }

    /** Mean pages per chunk (1.0 = no merging): how concentrated this layer's attention has been. */
    public double meanChunkPages() {
        return chunks.isEmpty() ? 1.0 : (double) sealed / chunks.size();
    }
}
