package dev.canopy.kv.tier;

import dev.canopy.kv.Gathered;
import dev.canopy.kv.KvBudgets;
import dev.canopy.kv.KvLayout;
import dev.canopy.kv.KvStats;
import dev.canopy.kv.KvStoreSpec;
import dev.canopy.kv.KvTier;
import dev.canopy.kv.KvType;
import dev.canopy.kv.PageAbstract;
import dev.canopy.kv.PageRef;
import dev.canopy.kv.TierDevices;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One store's pages over the three tiers: the per-layer page tables, the host and device slot pools,
 * the page file, and the writer, gatherer and prefetcher that move rows between them. The narrow
 * interface {@link dev.canopy.kv.KvStore} drives; every method is called with the store's lock held
 * unless it says otherwise.
 */
public final class PageStore implements AutoCloseable {
    private final KvLayout layout;
    private final LayerState[] layers;
    private final KvCounters counters = new KvCounters();
    private final Placement place;       // owned: the tiers
    private final Gatherer gatherer;
    private final PageWriter writer;
    private final Prefetcher prefetcher; // owned: the prefetch thread
    private final ReentrantLock lock;    // borrowed: the store's

    /** The tiers of {@code spec} over {@code disk} (owned from here on, closed if this throws). */
    public PageStore(KvStoreSpec spec, DiskTier disk, ReentrantLock lock) {
        this.lock = lock;
        this.layout = spec.layout();
        this.layers = new LayerState[layout.layers()];
        for (int l = 0; l < layers.length; l++) layers[l] = new LayerState(l, layout.pageTokens(l));
        long slot = Placement.hotSlotBytes(layout);
        TierDevices dev = spec.devices();
        KvBudgets b = spec.budgets();
        SlotPool host = new SlotPool(KvTier.HOST, dev.hostBufferType(), layout.hotType(), slot, b.hostBytes());
        if (host.maxSlots() < layers.length) {
            disk.close();
            throw new IllegalArgumentException("the host KV budget (" + b.hostBytes() + " bytes) holds " + host.maxSlots()
                    + " page slots of " + host.slotBytes() + " bytes; at least one per layer (" + layers.length + ") is needed");
        }
        SlotPool device = dev.hasDevice() && b.deviceBytes() > 0
                ? new SlotPool(KvTier.DEVICE, dev.deviceBufferType(), layout.hotType(), slot, b.deviceBytes()) : null;
        ColdCodec codec = new ColdCodec(layout.hotType(), b.coldType(), layout.rowElements());
        this.place = new Placement(layout, device, host, disk, codec, counters, layers);
        this.gatherer = new Gatherer(place);
        this.writer = new PageWriter(layout, place);
        this.prefetcher = new Prefetcher(lock, place);
    }

    /** Bytes of one host or device page slot of {@code layout}: K and V rows of the largest page. */
    public static long hotSlotBytes(KvLayout layout) {
        return Placement.hotSlotBytes(layout);
    }

    // ---- rows

    /** Appends {@code count} rows to {@code layer} (see {@link dev.canopy.kv.KvStore#append}). */
    public void append(int layer, int count, MemorySegment keys, MemorySegment values, KvType rowType) {
        writer.append(layer(layer), count, keys, values, rowType);
    }

    /** Replaces every row of a page (a repair). */
    public void repair(int layer, int page, MemorySegment keys, MemorySegment values, KvType rowType) {
        LayerState ls = layer(layer);
        writer.rewrite(ls, ls.page(page), keys, values, rowType);
    }

    /** Forgets every row from position {@code n} on, in every layer. */
    public void truncate(int n) {
        for (LayerState ls : layers) writer.truncate(ls, n);
    }

    // ---- selection, gathering, prefetch

    public int[] select(int layer, float[] query, int budgetTokens, int sinkTokens, int windowTokens) {
        return layer(layer).select(query, layout, budgetTokens, sinkTokens, windowTokens);
    }

    /** What {@code layer} selected last. */
    public int[] lastSelection(int layer) {
        return layer(layer).lastSelection();
    }

    /** The background loads of {@code pages} still under way (wait for them without the lock). */
    public List<CompletableFuture<Void>> pendingLoads(int layer, int[] pages) {
        LayerState ls = layer(layer);
        List<CompletableFuture<Void>> loads = new ArrayList<>();
        for (int p : pages) if (ls.page(p).loading() != null) loads.add(ls.page(p).loading());
        return loads;
    }

    public Gathered gather(int layer, int[] pages, GatherTarget target) {
        return gatherer.gather(layer(layer), pages, target);
    }

    public CompletableFuture<Void> prefetch(int layer, int[] pages) {
        return prefetcher.prefetch(layer(layer), pages);
    }

    /** Waits until every queued prefetch has finished. Call without the lock. */
    public void drainPrefetch() {
        prefetcher.drain();
    }

    // ---- damage, saving, restoring

    /** Checks every page on disk now; returns the damaged ones. */
    public List<PageRef> verifyAll() {
        List<PageRef> out = new ArrayList<>();
        for (LayerState ls : layers) {
            for (PageEntry e : ls.pages()) {
                if (!e.damaged() && e.diskCurrent() && !place.verify(e)) place.markDamaged(e);
                if (e.damaged()) out.add(e.ref());
            }
        }
        return out;
    }

    /** Whether every layer holds {@code tokens} tokens. */
    public boolean complete(int tokens) {
        for (LayerState ls : layers) if (ls.tokens() != tokens) return false;
        return true;
    }

    /**
     * Writes every page not yet on disk and forces the page file; returns, per layer, every page's
     * disk copy (what a manifest records). Every layer must hold {@code tokens} tokens.
     */
    public List<DiskPage[]> flushToDisk(int tokens) {
        for (LayerState ls : layers) {
            if (ls.tokens() != tokens) {
                throw new IllegalStateException("layer " + ls.layer() + " holds " + ls.tokens() + " of " + tokens + " tokens: finish appending before saving");
            }
            for (PageEntry e : ls.pages()) {
                if (!e.diskCurrent()) place.writeToDisk(e); // only host-resident pages can be stale
            }
        }
        place.disk().force();
        List<DiskPage[]> pages = new ArrayList<>();
        for (LayerState ls : layers) pages.add(ls.pages().stream().map(PageEntry::diskPage).toArray(DiskPage[]::new));
        return pages;
    }

    /** A manifest referring to disk slots {@code slots} is now on disk: slots only the old one used can be reused. */
    public void manifestWritten(BitSet slots) {
        place.manifestWritten(slots);
    }

    /**
     * Takes the pages of a saved store ({@code pages}, per layer) into the empty page tables: their
     * abstracts are read from disk (a damaged one marks its page damaged) and every layer's open page
     * comes into host memory. Throws IllegalStateException when the pages do not add up to
     * {@code tokens} tokens per layer.
     */
    public void restore(List<DiskPage[]> pages, int tokens) {
        for (LayerState ls : layers) {
            DiskPage[] recs = pages.get(ls.layer());
            int pt = ls.pageTokens();
            for (int p = 0; p < recs.length; p++) {
                DiskPage r = recs[p];
                boolean last = p == recs.length - 1;
                if (r.tokens() < 1 || r.tokens() > pt || (!last && r.tokens() != pt)) {
                    throw new IllegalStateException("layer " + ls.layer() + " page " + p + " has " + r.tokens() + " tokens");
                }
                PageEntry e = PageEntry.saved(ls.layer(), p, p * pt, r);
                PageAbstract a = place.readAbstract(e);
                if (a == null) {
                    a = PageAbstract.unknown(layout.rowElements());
                    place.markDamaged(e);
                }
                e.abstractKeys(a);
                ls.addSaved(e);
                if (e.tokens() == pt) ls.chunks().sealed(p, a);
            }
            if (ls.tokens() != tokens) throw new IllegalStateException("layer " + ls.layer() + " holds " + ls.tokens() + " of " + tokens + " tokens");
            PageEntry open = ls.openPage();
            if (open != null) place.ensureHost(open);
        }
    }

    /** Bytes of one slot of the page file. */
    public long diskSlotBytes() {
        return place.disk().slotBytes();
    }

    /** Writes the page file's mapped extents to the storage device (tests simulate a crash after it). */
    public void forcePageFile() {
        place.disk().force();
    }

    // ---- inspection

    public int layers() { return layers.length; }
    public int tokenCount(int layer) { return layer(layer).tokens(); }
    public int pageCount(int layer) { return layer(layer).pageCount(); }
    public PageRef page(int layer, int page) { return layer(layer).page(page).ref(); }
    public PageAbstract pageAbstract(int layer, int page) { return layer(layer).page(page).abstractKeys(); }

    /** The fastest tier holding a copy of the page. */
    public KvTier tierOf(int layer, int page) { return layer(layer).page(page).fastestTier(); }

    /** The page's slot in the page file (tests damage its bytes). */
    public int diskSlot(int layer, int page) { return layer(layer).page(page).diskSlot(); }

    public double meanChunkPages(int layer) { return layer(layer).chunks().meanChunkPages(); }

    /** Counters since the store was created or opened; thread-safe (no lock needed). */
    public KvStats stats() { return counters.snapshot(); }

    public boolean hasDevice() { return place.device() != null; }

    /** Bytes held per tier now: device and host slots in use, and the page file's size. */
    public long[] bytesPerTier() {
        return new long[] {place.device() == null ? 0 : place.device().allocatedBytes(), place.host().allocatedBytes(), place.disk().fileBytes()};
    }

    private LayerState layer(int layer) {
        if (layer < 0 || layer >= layers.length) throw new IllegalArgumentException("no layer " + layer);
        return layers[layer];
    }

    /** Stops the prefetch thread, then frees every tier. Call without the lock (it is taken here). */
    @Override
    public void close() {
        prefetcher.close();
        lock.lock();
        try {
            place.close();
        } finally {
            lock.unlock();
        }
    }
}
