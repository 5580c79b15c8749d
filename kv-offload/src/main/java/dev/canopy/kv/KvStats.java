package dev.canopy.kv;

/**
 * Counters since the store was created or opened (take two snapshots and {@link #minus} them for
 * a window, e.g. one decode step).
 *
 * @param diskBytesRead     bytes of cold pages read from the page file (each checked by CRC32C)
 * @param diskBytesWritten  bytes of cold pages written to the page file
 * @param hits              pages materialized from each tier (index by {@link KvTier#ordinal()})
 * @param promotions        pages copied into each tier (device from host, host from disk)
 * @param evictions         pages dropped from each tier to make room (DISK: slots freed by truncate)
 * @param prefetched        pages loaded into host memory ahead of use by the background prefetcher
 * @param prefetchHits      materialized pages that were there thanks to a prefetch
 * @param damaged           pages found damaged (CRC mismatch)
 * @param materializeCalls  calls to materialize
 * @param materializedTokens tokens gathered for attention
 * @param reusedPages       gathered pages already in place in the gather buffer (not copied, not counted as hits)
 */
public record KvStats(long diskBytesRead, long diskBytesWritten, long[] hits, long[] promotions, long[] evictions,
                      long prefetched, long prefetchHits, long damaged, long materializeCalls, long materializedTokens,
                      long reusedPages) {

    public KvStats {
        hits = hits.clone();
        promotions = promotions.clone();
        evictions = evictions.clone();
    }

    public long hits(KvTier t) { return hits[t.ordinal()]; }
    public long promotions(KvTier t) { return promotions[t.ordinal()]; }
    public long evictions(KvTier t) { return evictions[t.ordinal()]; }

    @Override public long[] hits() { return hits.clone(); }
    @Override public long[] promotions() { return promotions.clone(); }
    @Override public long[] evictions() { return evictions.clone(); }

    /** The counts between {@code earlier} and this snapshot. */
    public KvStats minus(KvStats earlier) {
        return new KvStats(diskBytesRead - earlier.diskBytesRead, diskBytesWritten - earlier.diskBytesWritten,
                sub(hits, earlier.hits), sub(promotions, earlier.promotions), sub(evictions, earlier.evictions),
                prefetched - earlier.prefetched, prefetchHits - earlier.prefetchHits, damaged - earlier.damaged,
                materializeCalls - earlier.materializeCalls, materializedTokens - earlier.materializedTokens,
                reusedPages - earlier.reusedPages);
    }

    private static long[] sub(long[] a, long[] b) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] - b[i];
        return r;
    }

    @Override
    public String toString() {
        return ("KvStats[diskRead=%,d B, diskWritten=%,d B, hits device/host/disk=%d/%d/%d, promotions device/host=%d/%d, "
                + "evictions device/host=%d/%d, prefetched=%d (hits %d), damaged=%d, materialize=%d calls/%,d tokens, reused %d pages]")
                .formatted(diskBytesRead, diskBytesWritten, hits[0], hits[1], hits[2], promotions[0], promotions[1],
                        evictions[0], evictions[1], prefetched, prefetchHits, damaged, materializeCalls, materializedTokens, reusedPages);
    }
}
