package dev.canopy.kv.tier;

import dev.canopy.kv.KvStats;
import dev.canopy.kv.KvTier;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** The store's live counters (updated from the engine thread and the prefetch thread). */
final class KvCounters {
    private final AtomicLong diskBytesRead = new AtomicLong();
    private final AtomicLong diskBytesWritten = new AtomicLong();
    private final AtomicLongArray hits = new AtomicLongArray(KvTier.values().length);
    private final AtomicLongArray promotions = new AtomicLongArray(KvTier.values().length);
    private final AtomicLongArray evictions = new AtomicLongArray(KvTier.values().length);
    private final AtomicLong prefetched = new AtomicLong();
    private final AtomicLong prefetchHits = new AtomicLong();
    private final AtomicLong damaged = new AtomicLong();
    private final AtomicLong materializeCalls = new AtomicLong();
    private final AtomicLong materializedTokens = new AtomicLong();
    private final AtomicLong reusedPages = new AtomicLong();

    void hit(KvTier t) { hits.incrementAndGet(t.ordinal()); }
    void promoted(KvTier t) { promotions.incrementAndGet(t.ordinal()); }
    void evicted(KvTier t) { evictions.incrementAndGet(t.ordinal()); }
    void diskRead(long bytes) { diskBytesRead.addAndGet(bytes); }
    void diskWritten(long bytes) { diskBytesWritten.addAndGet(bytes); }
    void prefetchedPage() { prefetched.incrementAndGet(); }
    void prefetchHit() { prefetchHits.incrementAndGet(); }
    void damagedPage() { damaged.incrementAndGet(); }
    void reusedPage() { reusedPages.incrementAndGet(); }

    /** One materialize call gathered {@code tokens} tokens. */
    void materialized(long tokens) {
        materializeCalls.incrementAndGet();
        materializedTokens.addAndGet(tokens);
    }

    KvStats snapshot() {
        return new KvStats(diskBytesRead.get(), diskBytesWritten.get(), toArray(hits), toArray(promotions), toArray(evictions),
                prefetched.get(), prefetchHits.get(), damaged.get(), materializeCalls.get(), materializedTokens.get(),
                reusedPages.get());
    }

    private static long[] toArray(AtomicLongArray a) {
        long[] r = new long[a.length()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i);
        return r;
    }
}
