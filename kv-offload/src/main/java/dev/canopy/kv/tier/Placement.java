package dev.canopy.kv.tier;

import dev.canopy.kv.KvBudgetExceededException;
import dev.canopy.kv.KvLayout;
import dev.canopy.kv.KvTier;
import dev.canopy.kv.PageAbstract;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Where pages live and how they move: host and device slots with LRU eviction (pages are touched
 * in importance order, so the least recently and least importantly used go first; sink, window
 * and open pages go last), promotion (disk to host on read, host to device on use) and the disk
 * copy of every sealed page (write-through, CRC32C-checked on every read). All methods are called
 * with the store's lock held, except {@link #verify} and {@link #decode}, which the prefetcher
 * runs without it on pages it has reserved.
 */
final class Placement implements AutoCloseable {
    private final KvLayout layout;
    private final SlotPool device; // owned; null when the device tier is absent
    private final SlotPool host;   // owned
    private final DiskTier disk;   // owned
    private final ColdCodec codec;
    private final KvCounters counters;
    private final LayerState[] layers;
    private final long hotRow;
    private final long hotValues;  // offset of the V rows in a hot slot
    private final LinkedHashSet<PageEntry> hostLru = new LinkedHashSet<>();
    private final LinkedHashSet<PageEntry> deviceLru = new LinkedHashSet<>();
    private BitSet savedSlots = new BitSet();                       // disk slots the manifest on disk refers to
    private final List<Integer> freeAfterSave = new ArrayList<>();  // slots to free once a new manifest is written
    private long tick;

    Placement(KvLayout layout, SlotPool device, SlotPool host, DiskTier disk, ColdCodec codec, KvCounters counters, LayerState[] layers) {
        this.layout = layout;
        this.device = device;
        this.host = host;
        this.disk = disk;
        this.codec = codec;
        this.counters = counters;
        this.layers = layers;
        this.hotRow = layout.hotRowBytes();
        this.hotValues = layout.maxPageTokens() * hotRow;
    }

    /** Bytes of one host or device page slot of {@code layout}: K and V rows of the largest page. */
    static long hotSlotBytes(KvLayout layout) {
        return 2L * layout.maxPageTokens() * layout.hotRowBytes();
    }

    KvLayout layout() { return layout; }
    SlotPool device() { return device; }   // borrowed; null when the device tier is absent
    SlotPool host() { return host; }       // borrowed
    DiskTier disk() { return disk; }       // borrowed
    KvCounters counters() { return counters; }
    long hotRow() { return hotRow; }
    long hotValues() { return hotValues; }

    /** Counts one gather (ticks order the LRU: one decode step gathers every layer once). */
    void nextTick() { tick++; }

    // ---- host and device slots

    /**
     * Who may be evicted for a new page. Pages in use by the current gather and pages not yet on
     * disk never are; beyond that:
     * REQUIRED (a page being written must get a slot): any, sink / window / open pages last;
     * PROMOTE (a page read for a gather): only pages not used in the last decode step, so a gather
     * larger than the tier keeps a stable resident part instead of cycling everything (LRU's
     * failure on scans) and a dense pass never evicts what the next one needs first;
     * PREFETCH: as PROMOTE, and never sink / window / open pages.
     */
    enum Need { REQUIRED, PROMOTE, PREFETCH }

    /** A host slot, evicting per {@code need}; -1 when none can go. */
    int acquireHost(Need need) {
        int s = host.tryAcquire();
        if (s >= 0) return s;
        PageEntry victim = victim(hostLru, need);
        if (victim == null) return -1;
        dropHost(victim);
        counters.evicted(KvTier.HOST);
        return host.tryAcquire();
    }

    /** A host slot for a page that must be there (being filled, repaired); throws when the budget cannot give one. */
    int requireHost() {
        int s = acquireHost(Need.REQUIRED);
        if (s < 0) {
            throw new KvBudgetExceededException(KvTier.HOST, "the host KV budget (" + host.maxSlots() + " page slots) is full of pages "
                    + "that are in use or not yet on disk; raise --kv-ram-mb");
        }
        return s;
    }

    private PageEntry victim(LinkedHashSet<PageEntry> lru, Need need) {
        long recent = tick - layout.layers(); // ticks count gathers: one decode step gathers every layer once
        PageEntry preferredVictim = null;
        for (PageEntry e : lru) {
            if (e.inUse() || e.loading() != null) continue;
            if (lru == hostLru && !e.diskCurrent()) continue;
            if (need != Need.REQUIRED && e.lastUsed() >= recent) break; // the LRU order is by lastUsed from here on
            if (!layers[e.layer()].preferred(e)) return e;
            if (preferredVictim == null) preferredVictim = e;
        }
        return need == Need.PREFETCH ? null : preferredVictim;
    }

    void addHost(PageEntry e, int slot) {
        e.hostSlot(slot);
        e.lastUsed(tick); // keeps the LRU ordered by lastUsed
        hostLru.add(e);
    }

    void dropHost(PageEntry e) {
        if (e.hostSlot() < 0) return;
        host.release(e.hostSlot());
        e.hostSlot(-1);
        hostLru.remove(e);
    }

    void dropDevice(PageEntry e) {
        if (e.deviceSlot() < 0) return;
        device.release(e.deviceSlot());
        e.deviceSlot(-1);
        deviceLru.remove(e);
    }

    void touch(PageEntry e) {
        e.lastUsed(tick);
        if (e.hostSlot() >= 0 && hostLru.remove(e)) hostLru.add(e);
        if (e.deviceSlot() >= 0 && deviceLru.remove(e)) deviceLru.add(e);
    }

    /** Copies a host-resident page to the device tier when there is one and a slot can be had. */
    void promoteToDevice(PageEntry e) {
        if (device == null || e.deviceSlot() >= 0 || e.hostSlot() < 0) return;
        int s = device.tryAcquire();
        if (s < 0) {
            PageEntry victim = victim(deviceLru, Need.PROMOTE);
            if (victim == null) return;
            dropDevice(victim);
            counters.evicted(KvTier.DEVICE);
            s = device.tryAcquire();
        }
        long rows = e.tokens() * hotRow;
        TensorCopy.copy(host.tensor(e.hostSlot()), 0, device.tensor(s), 0, rows);
        TensorCopy.copy(host.tensor(e.hostSlot()), hotValues, device.tensor(s), hotValues, rows);
        e.deviceSlot(s);
        deviceLru.add(e);
        counters.promoted(KvTier.DEVICE);
    }

    /** Rows {@code [from, to)} of the page changed in host memory: brings the device copy up to date. */
    void rowsChanged(PageEntry e, int from, int to) {
        if (e.deviceSlot() < 0) return;
        long off = from * hotRow;
        long bytes = (to - from) * hotRow;
        TensorCopy.copy(host.tensor(e.hostSlot()), off, device.tensor(e.deviceSlot()), off, bytes);
        TensorCopy.copy(host.tensor(e.hostSlot()), hotValues + off, device.tensor(e.deviceSlot()), hotValues + off, bytes);
    }

    /** Brings a page into host memory (from disk, CRC-checked) if it is not there; marks it damaged on a mismatch. */
    void ensureHost(PageEntry e) {
        if (e.hostSlot() >= 0) return;
        int s = requireHost();
        MemorySegment mem = host.host(s);
        if (e.diskCurrent()) {
            if (!verify(e)) markDamaged(e);
            decode(e, mem);
        } else {
            mem.fill((byte) 0);
        }
        addHost(e, s);
        counters.promoted(KvTier.HOST);
    }

    void markDamaged(PageEntry e) {
        if (e.markDamaged()) counters.damagedPage();
    }

    // ---- disk copies

    /** A manifest referring to {@code slots} is now on disk: slots only the old one used can be reused. */
    void manifestWritten(BitSet slots) {
        savedSlots = (BitSet) slots.clone();
        for (int s : freeAfterSave) if (!savedSlots.get(s)) disk.release(s);
        freeAfterSave.clear();
    }

    /** Writes the (host-resident) page to its disk slot in the cold type, with its abstract and checksums. */
    void writeToDisk(PageEntry e) {
        writeToDisk(e, host.host(e.hostSlot()));
    }

    /** Writes a page whose hot rows are at {@code hot} (a host slot, or a staging buffer) to disk. */
    void writeToDisk(PageEntry e, MemorySegment hot) {
        int pt = layers[e.layer()].pageTokens();
        if (e.diskSlot() >= 0 && savedSlots.get(e.diskSlot())) {
            freeAfterSave.add(e.diskSlot()); // the saved manifest points there: never overwrite it (copy on write)
            e.diskSlot(-1);
        }
        if (e.diskSlot() < 0) e.diskSlot(disk.acquire());
        DiskTier.SlotLayout sl = disk.layout();
        MemorySegment slot = disk.slot(e.diskSlot());
        long coldRows = pt * sl.coldRowBytes();
        codec.encode(hot.asSlice(0, pt * hotRow), slot.asSlice(sl.keysOffset(), coldRows), pt);
        codec.encode(hot.asSlice(hotValues, pt * hotRow), slot.asSlice(sl.valuesOffset(), coldRows), pt);
        if (!codec.lossless() && !e.abstractKeys().unknown() && e.tokens() > 0) {
            // The bound must hold for the keys as they come back from disk too.
            float[] lo = e.abstractKeys().min();
            float[] hi = e.abstractKeys().max();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment back = a.allocate(e.tokens() * hotRow, 64);
                codec.decode(slot.asSlice(sl.keysOffset(), e.tokens() * sl.coldRowBytes()), back, e.tokens());
                Rows.minMax(back, layout.hotType(), e.tokens(), lo, hi);
            }
            e.abstractKeys(new PageAbstract(lo, hi, false));
        }
        float[] lo = e.abstractKeys().min();
        float[] hi = e.abstractKeys().max();
        MemorySegment.copy(lo, 0, slot, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, lo.length);
        MemorySegment.copy(hi, 0, slot, ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * lo.length, hi.length);
        e.writtenToDisk(crc(slot, 0, sl.abstractBytes(), -1, 0), dataCrc(e, slot));
        counters.diskWritten(sl.abstractBytes() + 2 * coldRows);
    }

    /** Checks the page's disk copy against its CRC32C (counted as bytes read from disk). */
    boolean verify(PageEntry e) {
        MemorySegment slot = disk.slot(e.diskSlot());
        counters.diskRead(2L * layers[e.layer()].pageTokens() * disk.layout().coldRowBytes());
        return dataCrc(e, slot) == e.crcData();
    }

    /** Decodes the page's disk copy into a hot slot layout at {@code hot} (K at 0, V at hotValues). */
    void decode(PageEntry e, MemorySegment hot) {
        int pt = layers[e.layer()].pageTokens();
        DiskTier.SlotLayout sl = disk.layout();
        MemorySegment slot = disk.slot(e.diskSlot());
        codec.decode(slot.asSlice(sl.keysOffset(), pt * sl.coldRowBytes()), hot.asSlice(0, pt * hotRow), pt);
        codec.decode(slot.asSlice(sl.valuesOffset(), pt * sl.coldRowBytes()), hot.asSlice(hotValues, pt * hotRow), pt);
    }

    /** Decodes K and V rows separately (for gathering straight into a target). */
    void decodeInto(PageEntry e, MemorySegment keys, MemorySegment values) {
        DiskTier.SlotLayout sl = disk.layout();
        MemorySegment slot = disk.slot(e.diskSlot());
        codec.decode(slot.asSlice(sl.keysOffset(), e.tokens() * sl.coldRowBytes()), keys, e.tokens());
        codec.decode(slot.asSlice(sl.valuesOffset(), e.tokens() * sl.coldRowBytes()), values, e.tokens());
    }

    /** Reads the page's abstract from disk; null when it fails its CRC. */
    PageAbstract readAbstract(PageEntry e) {
        MemorySegment slot = disk.slot(e.diskSlot());
        int n = layout.rowElements();
        counters.diskRead(disk.layout().abstractBytes());
        if (crc(slot, 0, disk.layout().abstractBytes(), -1, 0) != e.crcAbstract()) return null;
        float[] lo = new float[n];
        float[] hi = new float[n];
        MemorySegment.copy(slot, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, lo, 0, n);
        MemorySegment.copy(slot, ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * n, hi, 0, n);
        return new PageAbstract(lo, hi, false);
    }

    private int dataCrc(PageEntry e, MemorySegment slot) {
        DiskTier.SlotLayout sl = disk.layout();
        long rows = layers[e.layer()].pageTokens() * sl.coldRowBytes();
        return crc(slot, sl.keysOffset(), rows, sl.valuesOffset(), rows);
    }

    /** CRC32C of one or two ranges (the second skipped when its offset is negative). */
    static int crc(MemorySegment seg, long off1, long len1, long off2, long len2) {
        CRC32C c = new CRC32C();
        c.update(seg.asSlice(off1, len1).asByteBuffer());
        if (off2 >= 0) c.update(seg.asSlice(off2, len2).asByteBuffer());
        return (int) c.getValue();
    }

    /** Frees every copy of a page (truncate). */
    void forget(PageEntry e) {
        dropHost(e);
        dropDevice(e);
        if (e.diskSlot() >= 0) {
            if (savedSlots.get(e.diskSlot())) freeAfterSave.add(e.diskSlot());
            else disk.release(e.diskSlot());
            e.diskSlot(-1);
            counters.evicted(KvTier.DISK);
        }
    }

    @Override
    public void close() {
        hostLru.clear();
        deviceLru.clear();
        if (device != null) device.close();
        host.close();
        disk.close();
    }
}
