package dev.canopy.kv.select;

import dev.canopy.kv.KvLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Picks the pages one query attends to: the attention sink and the recent window always, then the
 * pages with the highest importance bound until the token budget is spent (Quest-style top-k).
 * Chunks of cold pages are scored as one and only expanded when their bound reaches the top, so
 * the result equals scoring every page on its own.
 */
public final class PageSelector {
    private PageSelector() {}

    private record Candidate(double bound, AdaptiveChunks.Chunk chunk, int page) {}

    /**
     * The pages (ascending) of {@code ls} that {@code query} attends to; updates {@code chunks} with
     * what was chosen.
     */
    public static int[] select(LayerPages ls, AdaptiveChunks chunks, float[] query, KvLayout layout, int budgetTokens,
                               int sinkTokens, int windowTokens) {
        int n = ls.tokens();
        int pageCount = ls.pageCount();
        boolean[] chosen = new boolean[pageCount];
        if (budgetTokens >= n) {
            java.util.Arrays.fill(chosen, true);
        } else {
            long remaining = budgetTokens - mandatory(ls, chosen, sinkTokens, windowTokens);
            if (remaining > 0) fill(ls, chunks, query, layout, chosen, remaining);
        }
        chunks.observe(chosen, ls::abstractOf);
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < pageCount; p++) if (chosen[p]) out.add(p);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Marks the sink and window pages; returns their tokens. */
    private static long mandatory(LayerPages ls, boolean[] chosen, int sinkTokens, int windowTokens) {
        int n = ls.tokens();
        int pt = ls.pageTokens();
        int sinkPages = (Math.min(Math.max(sinkTokens, 0), n) + pt - 1) / pt;
        for (int p = 0; p < sinkPages; p++) chosen[p] = true;
        if (windowTokens > 0) {
            for (int p = Math.max(0, n - windowTokens) / pt; p < chosen.length; p++) chosen[p] = true;
        }
        long used = 0;
        for (int p = 0; p < chosen.length; p++) if (chosen[p]) used += ls.tokensOf(p);
        return used;
    }

    private static void fill(LayerPages ls, AdaptiveChunks chunks, float[] q, KvLayout layout, boolean[] chosen, long remaining) {
        PriorityQueue<Candidate> heap = new PriorityQueue<>((a, b) -> Double.compare(b.bound, a.bound));
        int qh = layout.queryHeads();
        int kvh = layout.kvHeads();
        for (AdaptiveChunks.Chunk c : chunks.chunks()) {
            if (c.count() == 1) {
                if (!chosen[c.first()]) heap.add(new Candidate(c.merged().importanceBound(q, qh, kvh), null, c.first()));
            } else {
                heap.add(new Candidate(c.merged().importanceBound(q, qh, kvh), c, -1));
            }
        }
        int open = ls.tokens() % ls.pageTokens() == 0 ? -1 : ls.pageCount() - 1; // the page being filled
        if (open >= 0 && !chosen[open]) heap.add(new Candidate(ls.abstractOf(open).importanceBound(q, qh, kvh), null, open));
        while (remaining > 0 && !heap.isEmpty()) {
            Candidate c = heap.poll();
            if (c.chunk != null) {
                for (int p = c.chunk.first(); p < c.chunk.first() + c.chunk.count(); p++) {
                    if (!chosen[p]) heap.add(new Candidate(ls.abstractOf(p).importanceBound(q, qh, kvh), null, p));
                }
            } else {
                int t = ls.tokensOf(c.page);
                if (t <= remaining) {
                    chosen[c.page] = true;
                    remaining -= t;
                }
            }
        }
    }
}
