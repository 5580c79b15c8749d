package dev.canopy.kv.tier;

import dev.canopy.kv.DamagedPageException;
import dev.canopy.kv.Gathered;
import dev.canopy.kv.KvTier;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Fills a gather buffer from the tiers: device copies with a device copy, host pages with one
 * upload, disk pages CRC-checked, decoded into a host slot (promotion) or straight into the target,
 * then uploaded; pages the target already holds at the same rows (unchanged) are not copied again.
 * Nothing is returned when a page is damaged. Called with the store's lock held.
 */
final class Gatherer {
    private final Placement place;

    Gatherer(Placement place) {
        this.place = place;
    }

    Gathered gather(LayerState ls, int[] pages, GatherTarget target) {
        if (target.type() != place.layout().hotType() || target.rowBytes() != place.hotRow()) {
            throw new IllegalArgumentException("the gather buffer was made for another KV layout");
        }
        long tokens = 0;
        for (int i = 0; i < pages.length; i++) {
            if (i > 0 && pages[i] <= pages[i - 1]) throw new IllegalArgumentException("pages must be ascending and distinct");
            PageEntry e = ls.page(pages[i]);
            if (e.damaged()) throw new DamagedPageException(e.ref(), "CRC32C mismatch");
            tokens += e.tokens();
        }
        if (tokens > target.capacityTokens()) {
            throw new IllegalArgumentException(tokens + " tokens selected, the gather buffer holds " + target.capacityTokens());
        }
        place.nextTick();
        // Touch in reverse page order so that, among pages of this call, early ones stay longest.
        for (int i = pages.length - 1; i >= 0; i--) {
            PageEntry e = ls.pages().get(pages[i]);
            e.use();
            place.touch(e);
        }
        int[] first = new int[pages.length];
        int[] counts = new int[pages.length];
        Map<PageEntry, long[]> before = target.filled(place, ls.layer());
        Map<PageEntry, long[]> after = new IdentityHashMap<>();
        target.forget(); // until this call succeeds, the buffer's rows are unknown
        try (Arena scratch = Arena.ofConfined()) {
            long row = 0;
            for (int i = 0; i < pages.length; i++) {
                PageEntry e = ls.pages().get(pages[i]);
                long[] was = before.get(e);
                // Rows are written at increasing offsets, so this call has not touched rows >= row yet:
                // a page that sat at this very offset, unchanged, is still there.
                if (was != null && was[0] == row && was[1] == e.version()) {
                    place.counters().reusedPage();
                } else {
                    copyPage(e, target, row * place.hotRow(), scratch);
                }
                after.put(e, new long[] {row, e.version()});
                first[i] = e.firstPosition();
                counts[i] = e.tokens();
                row += e.tokens();
            }
        } finally {
            for (int p : pages) ls.pages().get(p).unuse();
        }
        target.filledBy(place, ls.layer(), after);
        place.counters().materialized(tokens);
        return new Gathered(ls.layer(), (int) tokens, pages, first, counts);
    }

    private void copyPage(PageEntry e, GatherTarget target, long off, Arena scratch) {
        long bytes = e.tokens() * place.hotRow();
        KvCounters counters = place.counters();
        if (e.deviceSlot() >= 0) {
            copySlot(place.device(), e.deviceSlot(), target, off, bytes);
            counters.hit(KvTier.DEVICE);
        } else if (e.hostSlot() >= 0) {
            copySlot(place.host(), e.hostSlot(), target, off, bytes);
            counters.hit(KvTier.HOST);
            if (e.prefetched()) counters.prefetchHit();
            place.promoteToDevice(e);
        } else {
            if (!place.verify(e)) {
                place.markDamaged(e);
                throw new DamagedPageException(e.ref(), "CRC32C mismatch on read");
            }
            int slot = e.loading() == null ? place.acquireHost(Placement.Need.PROMOTE) : -1;
            if (slot >= 0) {
                place.decode(e, place.host().host(slot));
                place.addHost(e, slot);
                place.touch(e);
                counters.promoted(KvTier.HOST);
                copySlot(place.host(), slot, target, off, bytes);
                place.promoteToDevice(e);
            } else if (TensorCopy.isHost(target.keys())) {
                place.decodeInto(e, TensorCopy.hostData(target.keys()).asSlice(off, bytes),
                        TensorCopy.hostData(target.values()).asSlice(off, bytes));
            } else {
                MemorySegment k = scratch.allocate(bytes, 64);
                MemorySegment v = scratch.allocate(bytes, 64);
                place.decodeInto(e, k, v);
                TensorCopy.fromHost(k, target.keys(), off, bytes);
                TensorCopy.fromHost(v, target.values(), off, bytes);
            }
            counters.hit(KvTier.DISK);
        }
        e.prefetched(false);
    }

    private void copySlot(SlotPool pool, int slot, GatherTarget target, long off, long bytes) {
        MemorySegment t = pool.tensor(slot);
        TensorCopy.copy(t, 0, target.keys(), off, bytes);
        TensorCopy.copy(t, place.hotValues(), target.values(), off, bytes);
    }
}
