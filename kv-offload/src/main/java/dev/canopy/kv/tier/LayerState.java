package dev.canopy.kv.tier;

import dev.canopy.kv.KvLayout;
import dev.canopy.kv.PageAbstract;
import dev.canopy.kv.select.AdaptiveChunks;
import dev.canopy.kv.select.LayerPages;
import dev.canopy.kv.select.PageSelector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One layer's pages, its adaptive chunks and what its last selection asked for. Guarded by the store's lock. */
final class LayerState implements LayerPages {
    private final int layer;
    private final int pageTokens;
    private final List<PageEntry> pages = new ArrayList<>();
    private final AdaptiveChunks chunks = new AdaptiveChunks();
    private int tokens;
    private int[] lastSelection = new int[0];
    private int sinkTokens;
    private int windowTokens;

    LayerState(int layer, int pageTokens) {
        this.layer = layer;
        this.pageTokens = pageTokens;
    }

    int layer() { return layer; }
    @Override public int pageTokens() { return pageTokens; }
    @Override public int tokens() { return tokens; }
    @Override public int pageCount() { return pages.size(); }
    @Override public int tokensOf(int page) { return pages.get(page).tokens(); }
    @Override public PageAbstract abstractOf(int page) { return pages.get(page).abstractKeys(); }

    /** Every page, in order. Read-only. */
    List<PageEntry> pages() { return java.util.Collections.unmodifiableList(pages); }

    AdaptiveChunks chunks() { return chunks; }

    int[] lastSelection() { return lastSelection; }

    /** Pages that are full (and so written to disk). */
    int sealedPages() {
        return tokens / pageTokens;
    }

    /** The last page while it is not full, else null. */
    PageEntry openPage() {
        return tokens % pageTokens == 0 ? null : pages.getLast();
    }

    PageEntry page(int index) {
        if (index < 0 || index >= pages.size()) {
            throw new IllegalArgumentException("layer " + layer + " has no page " + index + " (" + pages.size() + " pages)");
        }
        return pages.get(index);
    }

    /** A new page (the next one) joins the layer. */
    void add(PageEntry e) {
        pages.add(e);
    }

    /** {@code n} rows were written into the open page. */
    void added(int n) {
        tokens += n;
    }

    /** A saved page joins the layer with its rows. */
    void addSaved(PageEntry e) {
        pages.add(e);
        tokens += e.tokens();
    }

    /** Removes and returns the last page. */
    PageEntry removeLast() {
        return pages.removeLast();
    }

    /** The layer now holds {@code n} tokens (after truncation): chunks split, last selection clipped. */
    void truncated(int n) {
        tokens = n;
        chunks.reset(this::abstractOf, sealedPages());
        lastSelection = Arrays.stream(lastSelection).filter(p -> p < pages.size()).toArray();
    }

    /** Chunks split again (after a page's rows were rewritten). */
    void resetChunks() {
        chunks.reset(this::abstractOf, sealedPages());
    }

    /** Selects the pages {@code query} attends to (see {@link PageSelector}) and remembers the choice. */
    int[] select(float[] query, KvLayout layout, int budgetTokens, int sinkTokens, int windowTokens) {
        int[] chosen = PageSelector.select(this, chunks, query, layout, budgetTokens, sinkTokens, windowTokens);
        this.sinkTokens = sinkTokens;
        this.windowTokens = windowTokens;
        this.lastSelection = chosen;
        return chosen;
    }

    /** Sink, window and open pages: the last to leave the fast tiers. */
    boolean preferred(PageEntry e) {
        return e.firstPosition() < sinkTokens || e.firstPosition() + pageTokens > tokens - windowTokens || e.tokens() < pageTokens;
    }
}
