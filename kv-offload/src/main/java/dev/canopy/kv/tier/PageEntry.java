package dev.canopy.kv.tier;

import dev.canopy.kv.KvTier;
import dev.canopy.kv.PageAbstract;
import dev.canopy.kv.PageRef;

import java.util.concurrent.CompletableFuture;

/**
 * The store's record of one page: where its copies are and what they hold. Mutated only with the
 * store's lock held (the prefetch thread takes the lock to publish a load).
 */
final class PageEntry {
    private final int layer;
    private final int index;
    private final int firstPosition;
    private int tokens;                  // rows filled
    private PageAbstract abstractKeys;   // of the rows as stored (hot and, once written, cold values)
    private int hostSlot = -1;
    private int deviceSlot = -1;
    private int diskSlot = -1;
    private int diskTokens = -1;         // rows the disk copy holds; it is current iff diskTokens == tokens
    private int crcAbstract;
    private int crcData;
    private boolean damaged;
    private boolean prefetched;          // loaded by the prefetcher and not used since
    private int inUse;                   // > 0 while a materialize call reads it: never evicted then
    private long lastUsed;
    private long version;                // bumped whenever the rows change (gather buffers reuse rows of an unchanged page)
    private CompletableFuture<Void> loading; // non-null while the prefetcher fills a host slot for it

    PageEntry(int layer, int index, int firstPosition, PageAbstract abstractKeys) {
        this.layer = layer;
        this.index = index;
        this.firstPosition = firstPosition;
        this.abstractKeys = abstractKeys;
    }

    /** A page of a saved store: its disk copy as the manifest describes it; the abstract is read afterwards. */
    static PageEntry saved(int layer, int index, int firstPosition, DiskPage d) {
        PageEntry e = new PageEntry(layer, index, firstPosition, null);
        e.tokens = d.tokens();
        e.diskSlot = d.diskSlot();
        e.diskTokens = d.tokens();
        e.crcAbstract = d.crcAbstract();
        e.crcData = d.crcData();
        return e;
    }

    int layer() { return layer; }
    int index() { return index; }
    int firstPosition() { return firstPosition; }
    int tokens() { return tokens; }
    PageAbstract abstractKeys() { return abstractKeys; }
    void abstractKeys(PageAbstract a) { abstractKeys = a; }

    /** {@code n} rows were added: the rows changed. */
    void added(int n) {
        tokens += n;
        version++;
    }

    /** Keeps the first {@code rows} rows; the disk copy is stale (its slot is rewritten when the page is sealed or saved). */
    void cut(int rows) {
        tokens = rows;
        version++;
        diskTokens = -1;
    }

    /** Every row was rewritten (a repair). */
    void rewritten() {
        damaged = false;
        version++;
    }

    long version() { return version; }

    int hostSlot() { return hostSlot; }
    void hostSlot(int s) { hostSlot = s; }
    int deviceSlot() { return deviceSlot; }
    void deviceSlot(int s) { deviceSlot = s; }
    int diskSlot() { return diskSlot; }
    void diskSlot(int s) { diskSlot = s; }
    int crcData() { return crcData; }
    int crcAbstract() { return crcAbstract; }

    /** The disk copy now holds every row, with these checksums. */
    void writtenToDisk(int crcAbstract, int crcData) {
        this.crcAbstract = crcAbstract;
        this.crcData = crcData;
        this.diskTokens = tokens;
    }

    boolean damaged() { return damaged; }

    /** Marks the page damaged; true when it was not before. */
    boolean markDamaged() {
        boolean was = damaged;
        damaged = true;
        return !was;
    }

    boolean prefetched() { return prefetched; }
    void prefetched(boolean p) { prefetched = p; }

    boolean inUse() { return inUse > 0; }
    void use() { inUse++; }
    void unuse() { inUse--; }

    long lastUsed() { return lastUsed; }
    void lastUsed(long tick) { lastUsed = tick; }

    CompletableFuture<Void> loading() { return loading; }

    /** The prefetcher reserved a host slot for this page; completes when the load is published. */
    CompletableFuture<Void> startLoading() {
        loading = new CompletableFuture<>();
        return loading;
    }

    void loaded() {
        loading = null;
    }

    boolean diskCurrent() {
        return diskSlot >= 0 && diskTokens == tokens;
    }

    /** The disk copy as the manifest records it. */
    DiskPage diskPage() {
        return new DiskPage(diskSlot, tokens, crcAbstract, crcData);
    }

    PageRef ref() {
        return new PageRef(layer, index, firstPosition, tokens);
    }

    /** The fastest tier holding a current copy. */
    KvTier fastestTier() {
        if (deviceSlot >= 0) return KvTier.DEVICE;
        if (hostSlot >= 0) return KvTier.HOST;
        return KvTier.DISK;
    }
}
