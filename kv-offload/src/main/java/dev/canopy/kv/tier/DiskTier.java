package dev.canopy.kv.tier;

import dev.canopy.kv.KvBudgetExceededException;
import dev.canopy.kv.KvLayout;
import dev.canopy.kv.KvTier;
import dev.canopy.kv.KvType;
import dev.canopy.natives.ggml.BackendBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The disk tier: one page file per conversation, memory-mapped in extents of up to 64 MiB as it
 * grows (each extent also wrapped as a ggml CPU buffer), cut into 4 KiB-aligned fixed-size slots.
 * A slot holds [abstract min | abstract max | K rows | V rows] with the rows in the cold type.
 * The file never grows past the disk budget. Slot bookkeeping is called with the store's lock
 * held; {@link #slot} may also be called by the prefetch thread.
 */
public final class DiskTier implements AutoCloseable {
    private static final long EXTENT_BYTES = 64L << 20;

    /** Offsets inside a slot. */
    public record SlotLayout(int rowElements, long coldRowBytes, int maxPageTokens) {
        /** The slots of pages of {@code layout} stored as {@code coldType}. */
        public static SlotLayout of(KvLayout layout, KvType coldType) {
            return new SlotLayout(layout.rowElements(), coldType.rowBytes(layout.rowElements()), layout.maxPageTokens());
        }

        public long abstractBytes() { return 8L * rowElements; }
        public long keysOffset() { return align(abstractBytes(), 64); }
        public long valuesOffset() { return align(keysOffset() + maxPageTokens * coldRowBytes, 64); }
        public long slotBytes() { return align(valuesOffset() + maxPageTokens * coldRowBytes, 4096); }
    }

    private final Path file;
    private final SlotLayout layout;
    private final FileChannel channel;              // owned
    private final Arena mappings = Arena.ofShared(); // owned: every mapped extent
    private final List<MemorySegment> extents = new ArrayList<>();   // borrowed from mappings
    private final List<BackendBuffer> wrapped = new ArrayList<>();   // owned: extents as ggml CPU buffers
    private final long slotBytes;
    private final int slotsPerExtent;
    private final long maxSlots;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private int highWater;

    private DiskTier(Path file, FileChannel channel, SlotLayout layout, long budgetBytes) {
        this.file = file;
        this.channel = channel;
        this.layout = layout;
        this.slotBytes = layout.slotBytes();
        this.slotsPerExtent = (int) Math.max(1, EXTENT_BYTES / slotBytes);
        this.maxSlots = budgetBytes / slotBytes;
    }

    /**
     * A new, empty page file. An old one of that name is locked, its manifest deleted, and only then
     * truncated, so no manifest ever points into a truncated file.
     */
    public static DiskTier create(Path file, SlotLayout layout, long budgetBytes, Path staleManifest) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            lockOrClose(ch, file);
            Files.deleteIfExists(staleManifest);
            ch.truncate(0);
            return new DiskTier(file, ch, layout, budgetBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create KV page file " + file, e);
        }
    }

    /** An existing page file whose slots {@code used} are taken (from the manifest). */
    public static DiskTier open(Path file, SlotLayout layout, long budgetBytes, BitSet used) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        lockOrClose(ch, file);
        DiskTier d = new DiskTier(file, ch, layout, budgetBytes);
        int top = used.length();
        if (top > d.maxSlots) {
            d.close();
            throw new KvBudgetExceededException(KvTier.DISK, "the saved KV needs " + top + " disk slots, the budget allows " + d.maxSlots);
        }
        if (ch.size() < (long) top * d.slotBytes) {
            d.close();
            throw new IOException("KV page file " + file + " is shorter than its manifest says");
        }
        d.highWater = top;
        for (int s = top - 1; s >= 0; s--) if (!used.get(s)) d.free.push(s);
        return d;
    }

    /** A free slot; throws when the page file would outgrow the disk budget. */
    synchronized int acquire() {
        Integer s = free.poll();
        if (s != null) return s;
        if (highWater >= maxSlots) {
            throw new KvBudgetExceededException(KvTier.DISK, "the KV page file is full: the disk budget allows "
                    + maxSlots + " pages of " + slotBytes + " bytes");
        }
        return highWater++;
    }

    synchronized void release(int slot) {
        free.push(slot);
    }

    /** The slot's mapped bytes. Borrowed (valid until close). */
    synchronized MemorySegment slot(int slot) {
        int e = slot / slotsPerExtent;
        while (extents.size() <= e) mapNextExtent();
        return extents.get(e).asSlice((long) (slot % slotsPerExtent) * slotBytes, slotBytes);
    }

    private void mapNextExtent() {
        int e = extents.size();
        long first = (long) e * slotsPerExtent;
        long slots = Math.min(slotsPerExtent, Math.max(1, maxSlots - first));
        long offset = first * slotBytes;
        long size = slots * slotBytes;
        try {
            if (channel.size() < offset + size) channel.write(ByteBuffer.wrap(new byte[1]), offset + size - 1); // sparse
            MemorySegment m = channel.map(FileChannel.MapMode.READ_WRITE, offset, size, mappings);
            extents.add(m);
            wrapped.add(BackendBuffer.wrapHost(m));
        } catch (IOException e2) {
            throw new UncheckedIOException("cannot map the KV page file " + file, e2);
        }
    }

    /** Writes every mapped extent to the storage device. */
    synchronized void force() {
        for (MemorySegment m : extents) m.force();
        try {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SlotLayout layout() { return layout; }
    long slotBytes() { return slotBytes; }
    long maxSlots() { return maxSlots; }

    /** Slots ever handed out (the file holds at least this many). */
    synchronized int highWater() { return highWater; }

    /** The file's size in bytes. */
    long fileBytes() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mapped extents as ggml CPU buffers (zero-copy access to cold pages). Borrowed. */
    synchronized List<BackendBuffer> buffers() {
        return List.copyOf(wrapped);
    }

    /** Unmaps the file and releases its lock. */
    @Override
    public synchronized void close() {
        for (BackendBuffer b : wrapped) b.close();
        wrapped.clear();
        extents.clear();
        mappings.close();
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One store per conversation: an exclusive lock on the page file (released when the channel closes). */
    private static void lockOrClose(FileChannel ch, Path file) throws IOException {
        boolean locked;
        try {
            locked = ch.tryLock() != null;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            locked = false;
        }
        if (!locked) {
            ch.close();
            throw new IllegalStateException("the KV of this conversation is open in another store: " + file);
        }
    }

    static long align(long v, long a) {
        return (v + a - 1) / a * a;
    }
}
