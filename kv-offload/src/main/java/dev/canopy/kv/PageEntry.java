package dev.canopy.kv;

import java.util.concurrent.CompletableFuture;

/**
 * The store's record of one page: where its copies are and what they hold. Mutated only with the
 * store's lock held (the prefetch thread takes the lock to publish a load).
 */
final class PageEntry {
    final int layer;
    final int index;
    final int firstPosition;
    int tokens;                  // rows filled
    PageAbstract abstractKeys;   // of the rows as stored (hot and, once written, cold values)
    int hostSlot = -1;
    int deviceSlot = -1;
    int diskSlot = -1;
    int diskTokens = -1;         // rows the disk copy holds; it is current iff diskTokens == tokens
    int crcAbstract;
    int crcData;
    boolean damaged;
    boolean prefetched;          // loaded by the prefetcher and not used since
    int inUse;                   // > 0 while a materialize call reads it: never evicted then
    long lastUsed;
    long version;                // bumped whenever the rows change (gather buffers reuse rows of an unchanged page)
    CompletableFuture<Void> loading; // non-null while the prefetcher fills a host slot for it
    int loadingSlot = -1;

    PageEntry(int layer, int index, int firstPosition, PageAbstract abstractKeys) {
        this.layer = layer;
        this.index = index;
        this.firstPosition = firstPosition;
        this.abstractKeys = abstractKeys;
    }

    boolean diskCurrent() {
        return diskSlot >= 0 && diskTokens == tokens;
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
