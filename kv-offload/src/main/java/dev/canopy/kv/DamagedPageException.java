package dev.canopy.kv;

/**
 * A page read from disk failed its CRC32C check (or its abstract did when the store was opened).
 * Its data is never returned: the engine recomputes the page's tokens and hands the rows to
 * {@link KvStore#repair}. Until then every use of the page throws this again.
 */
public final class DamagedPageException extends RuntimeException {
    private final PageRef page;

    public DamagedPageException(PageRef page, String detail) {
        super("KV page " + page.page() + " of layer " + page.layer() + " (positions " + page.firstPosition() + ".."
                + (page.endPosition() - 1) + ") is damaged on disk: " + detail + "; recompute it from the conversation tokens");
        this.page = page;
    }

    /** The damaged page. */
    public PageRef page() {
        return page;
    }
}
