package dev.canopy.kv;

import dev.canopy.kv.persist.KvSnapshot;
import dev.canopy.kv.persist.Persistence;
import dev.canopy.kv.tier.DiskTier;
import dev.canopy.kv.tier.PageStore;
import dev.canopy.kv.tier.TensorCopy;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.Tensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One conversation's paged KV over three tiers (device, host, disk); see the package docs for the
 * per-layer call sequence. Thread-safe: the engine thread calls it, a background thread prefetches.
 */
public final class KvStore implements AutoCloseable {
    private final KvStoreSpec spec;
    private final KvLayout layout;
    private final ReentrantLock lock = new ReentrantLock();
    private final PageStore pages; // owned: the tiers and page tables
    private int[] tokens = new int[0];
    private int tokenCount;
    private final Map<String, byte[]> attachments = new LinkedHashMap<>();
    private boolean closed;

    private KvStore(KvStoreSpec spec, DiskTier disk) {
        NativeRuntime.get();
        this.spec = spec;
        this.layout = spec.layout();
        this.pages = new PageStore(spec, disk, lock);
    }

    /**
     * A new, empty store; an earlier one of the same key is discarded (manifest first).
     * Throws IllegalStateException when that conversation is open in another store (any process).
     */
    public static KvStore create(KvStoreSpec spec) {
        try {
            Files.createDirectories(spec.directory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the KV folder " + spec.directory(), e);
        }
        NativeRuntime.get();
        DiskTier.SlotLayout slots = DiskTier.SlotLayout.of(spec.layout(), spec.budgets().coldType());
        return new KvStore(spec, DiskTier.create(spec.pageFile(), slots, spec.budgets().diskBytes(), spec.manifestFile()));
    }

    /**
     * The saved store of this conversation, continued from the longest prefix its tokens share with
     * {@code conversationTokens}; empty when there is none, it is damaged, or it was saved for
     * another model file, other settings, another layout or cold type (then {@link #create} anew).
     */
    public static Optional<KvStore> open(KvStoreSpec spec, int[] conversationTokens) {
        Optional<Persistence.Saved> found = Persistence.load(spec, conversationTokens);
        if (found.isEmpty()) return Optional.empty();
        Persistence.Saved saved = found.get();
        KvStore s = new KvStore(spec, saved.disk());
        try {
            s.restore(saved.snapshot());
            if (saved.sharedTokens() < s.tokenCount) s.truncate(saved.sharedTokens());
            return Optional.of(s);
        } catch (RuntimeException e) {
            s.release();
            return Persistence.refuse(spec, "page table inconsistent: " + e.getMessage());
        }
    }

    /** Takes a saved store's state (only right after construction). */
    private void restore(KvSnapshot saved) {
        withLock(() -> {
            pages.manifestWritten(saved.diskSlots());
            tokens = saved.tokens();
            tokenCount = tokens.length;
            attachments.putAll(saved.attachments());
            pages.restore(saved.pages(), tokenCount);
            return null;
        });
    }

    /** This store's saved form: flushes every page not yet on disk, then records tokens, pages and attachments. With the lock held. */
    private KvSnapshot snapshot() {
        return new KvSnapshot(Arrays.copyOf(tokens, tokenCount), pages.flushToDisk(tokenCount), attachments);
    }

    // ---- tokens and rows

    /** Declares the next tokens (ids), before their rows are appended per layer; returns the first position. */
    public int addTokens(int... ids) {
        lock.lock();
        try {
            open();
            if (tokenCount + ids.length > tokens.length) tokens = Arrays.copyOf(tokens, Math.max(16, (tokenCount + ids.length) * 2));
            System.arraycopy(ids, 0, tokens, tokenCount, ids.length);
            int first = tokenCount;
            tokenCount += ids.length;
            return first;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends {@code count} K and V rows (host memory, {@code rowType} F32 or F16, row after row of
     * {@code kvHeads * headDim} values) of positions {@code firstPosition..} to {@code layer}. Full
     * pages are written to disk at once.
     */
    public void append(int layer, int firstPosition, int count, MemorySegment keys, MemorySegment values, KvType rowType) {
        lock.lock();
        try {
            open();
            int held = pages.tokenCount(layer);
            if (firstPosition != held) {
                throw new IllegalArgumentException("layer " + layer + " holds " + held + " tokens: append at " + held + ", not " + firstPosition);
            }
            if (firstPosition + count > tokenCount) throw new IllegalStateException("declare the tokens with addTokens before appending their rows");
            pages.append(layer, count, keys, values, rowType);
        } finally {
            lock.unlock();
        }
    }

    /** Appends the rows of two ggml tensors {@code [kvHeads * headDim, count]} (F32 or F16, contiguous, any backend). */
    public void appendTensors(int layer, int firstPosition, MemorySegment keyTensor, MemorySegment valueTensor) {
        KvType t = KvType.ofGgml(Tensors.type(keyTensor));
        int count = (int) (llama_h.ggml_nelements(keyTensor) / layout.rowElements());
        long bytes = llama_h.ggml_nbytes(keyTensor);
        if (!llama_h.ggml_is_contiguous(keyTensor) || !llama_h.ggml_is_contiguous(valueTensor) || llama_h.ggml_nbytes(valueTensor) != bytes
                || Tensors.type(valueTensor) != Tensors.type(keyTensor)) {
            throw new IllegalArgumentException("K and V tensors must be contiguous, of one type and one size");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment k = a.allocate(bytes, 64);
            MemorySegment v = a.allocate(bytes, 64);
            TensorCopy.toHost(keyTensor, 0, k, bytes);
            TensorCopy.toHost(valueTensor, 0, v, bytes);
            append(layer, firstPosition, count, k, v, t);
        }
    }

    // ---- selection, gathering, prefetch

    /**
     * The pages layer {@code layer} should attend to for {@code query} ({@code queryHeads * headDim}
     * values, after RoPE): the sink pages (first {@code sinkTokens}), the window pages (last
     * {@code windowTokens}), then the highest importance bounds while {@code budgetTokens} allows.
     * Every page when the budget covers the layer (dense attention). Ascending page ids.
     */
    public int[] select(int layer, float[] query, int budgetTokens, int sinkTokens, int windowTokens) {
        if (query.length != layout.queryHeads() * layout.headDim()) {
            throw new IllegalArgumentException("the query has " + query.length + " values, queryHeads * headDim = " + layout.queryHeads() * layout.headDim());
        }
        return withLock(() -> pages.select(layer, query, budgetTokens, sinkTokens, windowTokens));
    }

    /** Every page of the layer (dense attention, prefill). */
    public int[] allPages(int layer) {
        return withLock(() -> java.util.stream.IntStream.range(0, pages.pageCount(layer)).toArray());
    }

    /** A gather buffer of {@code capacityTokens} rows in the fastest tier; the caller owns it. */
    public GatherBuffer newGatherBuffer(int capacityTokens) {
        TierDevices d = spec.devices();
        boolean dev = d.hasDevice();
        return new GatherBuffer(dev ? d.deviceBufferType() : d.hostBufferType(), dev ? KvTier.DEVICE : KvTier.HOST, layout, capacityTokens);
    }

    /**
     * Gathers the K and V rows of {@code pages} (ascending) of {@code layer} into {@code target},
     * from whichever tier holds them, decoding cold pages. Throws {@link DamagedPageException}
     * (and returns nothing) when a page read from disk fails its checksum.
     */
    public Gathered materialize(int layer, int[] pages, GatherBuffer target) {
        List<CompletableFuture<Void>> loads = withLock(() -> this.pages.pendingLoads(layer, pages));
        for (CompletableFuture<Void> f : loads) f.join();
        lock.lock();
        try {
            return this.pages.gather(layer, pages, target.target());
        } finally {
            lock.unlock();
        }
    }

    /** Starts loading {@code pages} of {@code layer} from disk into host memory in the background. */
    public CompletableFuture<Void> prefetch(int layer, int[] pages) {
        return withLock(() -> this.pages.prefetch(layer, pages));
    }

    /**
     * Prefetches, for the next {@code depth} layers after {@code layer} (wrapping to layer 0 of the
     * next step), the pages those layers selected last time: queries change slowly between decode
     * steps, so this is what they will most likely ask for. Call before computing {@code layer}.
     */
    public void prefetchAhead(int layer, int depth) {
        int layers = layout.layers();
        for (int d = 1; d <= depth && d < layers; d++) {
            int l = (layer + d) % layers;
            int[] last = withLock(() -> pages.lastSelection(l));
            if (last.length > 0) prefetch(l, last);
        }
    }

    // ---- damage, truncation, persistence

    /** Replaces a page's rows (recomputed by the engine after a {@link DamagedPageException}); {@code tokens} rows of the page. */
    public void repair(int layer, int page, MemorySegment keys, MemorySegment values, KvType rowType) {
        pages.drainPrefetch();
        lock.lock();
        try {
            open();
            pages.repair(layer, page, keys, values, rowType);
        } finally {
            lock.unlock();
        }
    }

    /** Checks every page on disk now; returns the damaged ones (to recompute before use). */
    public List<PageRef> verifyAll() {
        pages.drainPrefetch();
        lock.lock();
        try {
            open();
            return pages.verifyAll();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every token from position {@code tokens} on (an edited or regenerated turn). */
    public void truncate(int newTokenCount) {
        pages.drainPrefetch();
        lock.lock();
        try {
            open();
            if (newTokenCount < 0 || newTokenCount > tokenCount) {
                throw new IllegalArgumentException("cannot truncate " + tokenCount + " tokens to " + newTokenCount);
            }
            pages.truncate(newTokenCount);
            tokenCount = newTokenCount;
        } finally {
            lock.unlock();
        }
    }

    /** Keeps a small blob with the saved store (e.g. the last logits, so a reopened chat needs no decode). */
    public void putAttachment(String key, byte[] value) {
        withLock(() -> attachments.put(key, value.clone()));
    }

    public Optional<byte[]> attachment(String key) {
        return withLock(() -> Optional.ofNullable(attachments.get(key)).map(byte[]::clone));
    }

    /** Writes every page not yet on disk, forces the page file, then the manifest (atomically). */
    public void save() {
        withLock(() -> {
            KvSnapshot s = snapshot();
            Persistence.save(spec, pages.diskSlotBytes(), s);
            pages.manifestWritten(s.diskSlots());
            return null;
        });
    }

    /**
     * Saves (when every layer holds every declared token) and frees every tier. A save that fails
     * (the page file is full, the disk is) is logged, not thrown: the last saved state stays valid
     * and saved KV is only ever a cache of what the conversation text recomputes.
     */
    @Override
    public void close() {
        if (closed) return;
        try {
            if (withLock(() -> pages.complete(tokenCount))) save();
        } catch (RuntimeException e) {
            System.getLogger(KvStore.class.getName()).log(System.Logger.Level.WARNING,
                    "could not save the KV " + spec.key() + ": " + e.getMessage());
        } finally {
            release();
        }
    }

    /** Closes without saving and deletes the conversation's files. */
    public void delete() {
        release();
        try {
            Files.deleteIfExists(spec.manifestFile());
            Files.deleteIfExists(spec.pageFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void release() {
        if (closed) return;
        closed = true;
        pages.close();
    }

    // ---- inspection

    public KvLayout layout() { return layout; }
    public KvStoreSpec spec() { return spec; }

    public int tokenCount() {
        return withLock(() -> tokenCount);
    }

    public int[] tokens() {
        return withLock(() -> Arrays.copyOf(tokens, tokenCount));
    }

    public int tokenCount(int layer) {
        return withLock(() -> pages.tokenCount(layer));
    }

    public int pageCount(int layer) {
        return withLock(() -> pages.pageCount(layer));
    }

    public PageRef page(int layer, int page) {
        return withLock(() -> pages.page(layer, page));
    }

    public PageAbstract pageAbstract(int layer, int page) {
        return withLock(() -> pages.pageAbstract(layer, page));
    }

    /** The fastest tier holding a copy of the page. */
    public KvTier tierOf(int layer, int page) {
        return withLock(() -> pages.tierOf(layer, page));
    }

    /** Mean pages per selection chunk of the layer (see {@link dev.canopy.kv.select.AdaptiveChunks}). */
    public double meanChunkPages(int layer) {
        return withLock(() -> pages.meanChunkPages(layer));
    }

    public KvStats stats() {
        return pages.stats();
    }

    /** Bytes held per tier now: device and host slots in use, and the page file's size. */
    public long[] bytesPerTier() {
        return withLock(pages::bytesPerTier);
    }

    /** A line on where the tiers live and their budgets. */
    public String tierReport() {
        KvBudgets b = spec.budgets();
        return spec.devices().description() + "; budgets: device " + (!pages.hasDevice() ? "absent" : KvBudgets.describe(b.deviceBytes()))
                + ", host " + KvBudgets.describe(b.hostBytes()) + ", disk " + KvBudgets.describe(b.diskBytes()) + "; cold pages " + b.coldType();
    }

    /** The page's slot in the page file (tests damage its bytes behind the store's back). */
    int diskSlot(int layer, int page) {
        return withLock(() -> pages.diskSlot(layer, page));
    }

    /** Forces the page file to the storage device (tests simulate a crash after it). */
    void forcePageFile() {
        withLock(() -> {
            pages.forcePageFile();
            return null;
        });
    }

    private void open() {
        if (closed) throw new IllegalStateException("the KV store is closed");
    }

    /** Runs {@code s} with the lock held, on an open store. */
    private <T> T withLock(java.util.function.Supplier<T> s) {
        lock.lock();
        try {
            open();
            return s.get();
        } finally {
            lock.unlock();
        }
    }
}
