package dev.canopy.kv;

import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.BackendBuffer;
import dev.canopy.natives.ggml.GgmlContext;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.MemorySegment;

/**
 * The attention input of one layer: K and V tensors of {@code [kvHeads * headDim, capacity]} rows
 * of the hot type in the fastest tier (device memory when there is a GPU, else host memory), which
 * {@link KvStore#materialize} fills with the selected pages' rows in position order. The engine
 * views the first {@link Gathered#tokens()} rows as {@code [headDim, kvHeads, tokens]} like its own
 * cache tensors. Owned by the caller (close it); not part of the tier budgets.
 *
 * <p>A buffer remembers what it holds: materializing the same layer into it again copies only the
 * pages that changed or moved (in dense decode, just the page being filled). So keep one buffer
 * per layer where memory allows (all in RAM, a large GPU), one shared buffer where it does not.
 */
public final class GatherBuffer implements AutoCloseable {
    private final GgmlContext headers;  // owned: the two tensor headers
    private final BackendBuffer buffer; // owned: their data
    private final MemorySegment keys;   // borrowed from headers
    private final MemorySegment values; // borrowed from headers
    private final int capacity;
    private final KvTier tier;
    private final KvType type;
    private final long rowBytes;
    // What the rows hold since the last successful materialize: page -> {row offset, version}. Only
    // the gatherer touches it (with the store's lock held).
    Object filledBy;
    int filledLayer = -1;
    java.util.Map<PageEntry, long[]> filled = java.util.Map.of();

    GatherBuffer(MemorySegment bufferType, KvTier tier, KvLayout layout, int capacityTokens) {
        if (capacityTokens < 1) throw new IllegalArgumentException("capacity must be positive");
        this.capacity = capacityTokens;
        this.tier = tier;
        this.type = layout.hotType();
        this.rowBytes = layout.hotRowBytes();
        this.headers = GgmlContext.metadata(2, 0);
        int t = type.ggmlId();
        this.keys = Tensors.named(llama_h.ggml_new_tensor_2d(headers.handle(), t, layout.rowElements(), capacityTokens), "kv_gather_k");
        this.values = Tensors.named(llama_h.ggml_new_tensor_2d(headers.handle(), t, layout.rowElements(), capacityTokens), "kv_gather_v");
        try {
            this.buffer = BackendBuffer.allocate(headers, bufferType, "the attended KV");
        } catch (RuntimeException e) {
            headers.close();
            throw e;
        }
        // Rows past the gathered ones are read under a -inf mask: they must hold finite values (never
        // NaN from fresh memory), else 0 * NaN poisons the attention. Gathers only ever write real rows.
        buffer.clear((byte) 0);
    }

    /**
     * A gather buffer in a buffer type the caller chooses (e.g. the compute backend's, so a CPU
     * graph can read it where {@link KvStore#newGatherBuffer} would pick a GPU). Usable with any
     * store of the same layout.
     */
    public static GatherBuffer allocate(MemorySegment bufferType, KvLayout layout, int capacityTokens) {
        KvTier tier = llama_h.ggml_backend_buft_is_host(bufferType) ? KvTier.HOST : KvTier.DEVICE;
        return new GatherBuffer(bufferType, tier, layout, capacityTokens);
    }

    /** The K tensor, [kvHeads * headDim, capacity]. Borrowed (owned by this object). */
    public MemorySegment keys() { return keys; }

    /** The V tensor, [kvHeads * headDim, capacity]. Borrowed (owned by this object). */
    public MemorySegment values() { return values; }

    public int capacityTokens() { return capacity; }

    /** DEVICE or HOST. */
    public KvTier tier() { return tier; }

    public KvType type() { return type; }

    /** Bytes of one row. */
    public long rowBytes() { return rowBytes; }

    /** Copies the first {@code tokens} K rows into host memory {@code dst} (for tests and tools). */
    public void readKeys(int tokens, MemorySegment dst) {
        TensorCopy.toHost(keys, 0, dst, tokens * rowBytes);
    }

    /** Copies the first {@code tokens} V rows into host memory {@code dst}. */
    public void readValues(int tokens, MemorySegment dst) {
        TensorCopy.toHost(values, 0, dst, tokens * rowBytes);
    }

    /** Bytes of the backend buffer. */
    public long bytes() { return buffer.size(); }

    @Override
    public void close() {
        buffer.close();
        headers.close();
    }
}
