package dev.canopy.kv;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** The store's live counters (updated from the engine thread and the prefetch thread). */
final class KvCounters {
    final AtomicLong diskBytesRead = new AtomicLong();
    final AtomicLong diskBytesWritten = new AtomicLong();
    final AtomicLongArray hits = new AtomicLongArray(KvTier.values().length);
    final AtomicLongArray promotions = new AtomicLongArray(KvTier.values().length);
    final AtomicLongArray evictions = new AtomicLongArray(KvTier.values().length);
    final AtomicLong prefetched = new AtomicLong();
    final AtomicLong prefetchHits = new AtomicLong();
    final AtomicLong damaged = new AtomicLong();
    final AtomicLong materializeCalls = new AtomicLong();
    final AtomicLong materializedTokens = new AtomicLong();
    final AtomicLong reusedPages = new AtomicLong();

    void hit(KvTier t) { hits.incrementAndGet(t.ordinal()); }
    void promoted(KvTier t) { promotions.incrementAndGet(t.ordinal()); }
    void evicted(KvTier t) { evictions.incrementAndGet(t.ordinal()); }

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
