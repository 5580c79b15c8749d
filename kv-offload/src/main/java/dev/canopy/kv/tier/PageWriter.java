package dev.canopy.kv.tier;

import dev.canopy.kv.KvLayout;
import dev.canopy.kv.KvType;
import dev.canopy.kv.PageAbstract;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Writes rows into pages: the open page of a layer lives in a host slot; rows are converted to the
 * hot type there, the page's abstract is widened, a device copy is kept current, and a page that
 * fills up is written to disk (sealed) at once. Also the two edits that rewrite pages (repair,
 * truncate). Called with the store's lock held.
 */
final class PageWriter {
    private final KvLayout layout;
    private final Placement place;

    PageWriter(KvLayout layout, Placement place) {
        this.layout = layout;
        this.place = place;
    }

    void append(LayerState ls, int count, MemorySegment keys, MemorySegment values, KvType rowType) {
        long inRow = rowType.rowBytes(layout.rowElements());
        try (Arena a = Arena.ofConfined()) {
            MemorySegment k = nativeRows(keys, count * inRow, a);
            MemorySegment v = nativeRows(values, count * inRow, a);
            for (int done = 0; done < count; ) {
                PageEntry e = openOrNewPage(ls);
                int at = e.tokens();
                int n = Math.min(count - done, ls.pageTokens() - at);
                writeRows(e, place.host().host(e.hostSlot()), at, k.asSlice(done * inRow, n * inRow), v.asSlice(done * inRow, n * inRow),
                        rowType, n);
                e.added(n);
                ls.added(n);
                place.rowsChanged(e, at, at + n);
                done += n;
                if (e.tokens() == ls.pageTokens()) {
                    try {
                        place.writeToDisk(e); // may find the page file full: the page then stays in host memory
                    } finally {
                        ls.chunks().sealed(e.index(), e.abstractKeys());
                    }
                }
            }
        }
    }

    /**
     * Replaces every row of a page (after the engine recomputed a damaged one). A page that is not
     * in host memory and cannot get a slot there is written to disk from a staging buffer.
     */
    void rewrite(LayerState ls, PageEntry e, MemorySegment keys, MemorySegment values, KvType rowType) {
        long bytes = e.tokens() * rowType.rowBytes(layout.rowElements());
        try (Arena a = Arena.ofConfined()) {
            MemorySegment k = nativeRows(keys, bytes, a);
            MemorySegment v = nativeRows(values, bytes, a);
            if (e.hostSlot() < 0) {
                int s = e.diskSlot() >= 0 ? place.acquireHost(Placement.Need.PROMOTE) : place.requireHost();
                if (s >= 0) place.addHost(e, s);
            }
            MemorySegment mem = e.hostSlot() >= 0 ? place.host().host(e.hostSlot()) : a.allocate(Placement.hotSlotBytes(layout), 64);
            mem.fill((byte) 0);
            e.abstractKeys(PageAbstract.empty(layout.rowElements()));
            writeRows(e, mem, 0, k, v, rowType, e.tokens());
            e.rewritten();
            if (e.hostSlot() >= 0) place.rowsChanged(e, 0, e.tokens());
            else place.dropDevice(e);
            if (e.diskSlot() >= 0 || e.tokens() == ls.pageTokens()) place.writeToDisk(e, mem);
        }
        ls.resetChunks();
    }

    /** Forgets every row of {@code ls} from position {@code n} on. */
    void truncate(LayerState ls, int n) {
        if (ls.tokens() <= n) return;
        int keep = (n + ls.pageTokens() - 1) / ls.pageTokens();
        while (ls.pageCount() > keep) place.forget(ls.removeLast());
        ls.truncated(n);
        PageEntry e = ls.openPage();
        if (e != null) cut(ls, e, n - e.firstPosition());
    }

    /** Keeps the first {@code rows} rows of a page that becomes the open page again. */
    private void cut(LayerState ls, PageEntry e, int rows) {
        place.ensureHost(e);
        place.dropDevice(e);
        MemorySegment mem = place.host().host(e.hostSlot());
        long hotRow = place.hotRow();
        long tail = (ls.pageTokens() - rows) * hotRow;
        mem.asSlice(rows * hotRow, tail).fill((byte) 0);
        mem.asSlice(place.hotValues() + rows * hotRow, tail).fill((byte) 0);
        e.cut(rows); // the disk copy is stale; its slot is rewritten when the page is sealed or saved
        if (!e.abstractKeys().unknown()) {
            float[] lo = PageAbstract.empty(layout.rowElements()).min();
            float[] hi = PageAbstract.empty(layout.rowElements()).max();
            Rows.minMax(mem, layout.hotType(), rows, lo, hi);
            e.abstractKeys(new PageAbstract(lo, hi, false));
        }
    }

    private PageEntry openOrNewPage(LayerState ls) {
        PageEntry e = ls.openPage();
        if (e != null) {
            place.ensureHost(e);
            return e;
        }
        e = new PageEntry(ls.layer(), ls.pageCount(), ls.tokens(), PageAbstract.empty(layout.rowElements()));
        int s = place.requireHost();
        place.host().host(s).fill((byte) 0);
        place.addHost(e, s);
        ls.add(e);
        return e;
    }

    /** Converts rows into the page's hot slot memory {@code mem} at row {@code at} and widens its abstract (an unknown one stays unknown). */
    private void writeRows(PageEntry e, MemorySegment mem, int at, MemorySegment k, MemorySegment v, KvType rowType, int n) {
        long hotRow = place.hotRow();
        long values = (long) n * layout.rowElements();
        Rows.convert(k, rowType, mem.asSlice(at * hotRow, n * hotRow), layout.hotType(), values);
        Rows.convert(v, rowType, mem.asSlice(place.hotValues() + at * hotRow, n * hotRow), layout.hotType(), values);
        if (e.abstractKeys().unknown()) return;
        float[] lo = e.abstractKeys().min();
        float[] hi = e.abstractKeys().max();
        Rows.minMax(mem.asSlice(at * hotRow, n * hotRow), layout.hotType(), n, lo, hi);
        e.abstractKeys(new PageAbstract(lo, hi, false));
    }

    private static MemorySegment nativeRows(MemorySegment rows, long bytes, Arena a) {
        if (rows.byteSize() < bytes) throw new IllegalArgumentException("rows hold " + rows.byteSize() + " bytes, " + bytes + " needed");
        if (rows.isNative()) return rows;
        return a.allocate(bytes, 64).copyFrom(rows.asSlice(0, bytes));
    }
}
