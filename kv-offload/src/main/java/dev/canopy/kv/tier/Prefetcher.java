package dev.canopy.kv.tier;

import dev.canopy.kv.KvTier;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Loads pages from disk into host memory on a background thread while the engine computes: the
 * slots are reserved under the store's lock, the CRC check and decoding run without it, and the
 * loaded pages are published under the lock again. A damaged page is marked, not thrown: the
 * materialize call that wants it throws. The prefetcher only evicts pages not used in the last
 * decode step, so it cannot push out what the current layer is about to read.
 */
final class Prefetcher implements AutoCloseable {
    private final ExecutorService executor; // owned: one daemon thread
    private final ReentrantLock lock;       // borrowed: the store's
    private final Placement place;

    private record Load(PageEntry page, int slot, MemorySegment memory, CompletableFuture<Void> done) {} // memory: borrowed host slot

    Prefetcher(ReentrantLock lock, Placement place) {
        this.lock = lock;
        this.place = place;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "canopy-kv-prefetch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Reserves slots for the pages not in a fast tier and queues their loads. Call with the lock held. */
    CompletableFuture<Void> prefetch(LayerState ls, int[] pages) {
        List<Load> loads = new ArrayList<>();
        for (int p : pages) {
            PageEntry e = ls.page(p);
            if (e.hostSlot() >= 0 || e.deviceSlot() >= 0 || e.loading() != null || e.damaged() || !e.diskCurrent()
                    || e.tokens() < ls.pageTokens()) continue; // only sealed pages: open ones stay in host memory
            int slot = place.acquireHost(Placement.Need.PREFETCH);
            if (slot < 0) break;
            loads.add(new Load(e, slot, place.host().host(slot), e.startLoading()));
        }
        if (loads.isEmpty()) return CompletableFuture.completedFuture(null);
        CompletableFuture<Void> all = CompletableFuture.allOf(loads.stream().map(Load::done).toArray(CompletableFuture[]::new));
        executor.execute(() -> run(loads));
        return all;
    }

    private void run(List<Load> loads) {
        for (Load l : loads) {
            boolean ok;
            try {
                ok = place.verify(l.page);
                if (ok) place.decode(l.page, l.memory);
            } catch (RuntimeException ex) {
                ok = false;
            }
            lock.lock();
            try {
                PageEntry e = l.page;
                if (ok) {
                    place.addHost(e, l.slot);
                    e.prefetched(true);
                    place.counters().prefetchedPage();
                    place.counters().promoted(KvTier.HOST);
                } else {
                    place.host().release(l.slot);
                    place.markDamaged(e);
                }
                e.loaded();
            } finally {
                lock.unlock();
            }
            l.done.complete(null);
        }
    }

    /** Waits until every queued load has finished. Call without the lock. */
    void drain() {
        try {
            executor.submit(() -> {}).get();
        } catch (Exception e) {
            throw new IllegalStateException("KV prefetch thread failed", e);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
