package dev.canopy.kv;

import java.util.ArrayList;
import java.util.List;

/** One layer's pages, its adaptive chunks and what its last selection asked for. Guarded by the store's lock. */
final class LayerState {
    final int layer;
    final int pageTokens;
    final List<PageEntry> pages = new ArrayList<>();
    final AdaptiveChunks chunks = new AdaptiveChunks();
    int tokens;
    int[] lastSelection = new int[0];
    int sinkTokens;
    int windowTokens;

    LayerState(int layer, int pageTokens) {
        this.layer = layer;
        this.pageTokens = pageTokens;
    }

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

    /** Sink, window and open pages: the last to leave the fast tiers. */
    boolean preferred(PageEntry e) {
        return e.firstPosition < sinkTokens || e.firstPosition + pageTokens > tokens - windowTokens || e.tokens < pageTokens;
    }
}
