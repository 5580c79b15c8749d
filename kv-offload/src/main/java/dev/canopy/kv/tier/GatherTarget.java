package dev.canopy.kv.tier;

import dev.canopy.kv.KvLayout;
import dev.canopy.kv.KvTier;
import dev.canopy.kv.KvType;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.BackendBuffer;
import dev.canopy.natives.ggml.GgmlContext;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * The memory behind a {@link dev.canopy.kv.GatherBuffer}: K and V tensors of {@code [kvHeads * headDim,
 * capacity]} rows of the hot type in one backend buffer, and what those rows hold since the last
 * successful gather (so a gather of the same layer copies only pages that changed or moved).
 */
public final class GatherTarget implements AutoCloseable {
    private final GgmlContext headers;  // owned: the two tensor headers
    private final BackendBuffer buffer; // owned: their data
    private final MemorySegment keys;   // borrowed from headers
    private final MemorySegment values; // borrowed from headers
    private final int capacity;
    private final KvTier tier;
    private final KvType type;
    private final long rowBytes;
    // What the rows hold since the last successful gather: page -> {row offset, version}. Only the
    // gatherer touches it (with the store's lock held).
    private Object filledBy;
    private int filledLayer = -1;
    private Map<PageEntry, long[]> filled = Map.of();

    public GatherTarget(MemorySegment bufferType, KvTier tier, KvLayout layout, int capacityTokens) {
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

    /** The K tensor. Borrowed (owned by this object). */
    public MemorySegment keys() { return keys; }

    /** The V tensor. Borrowed (owned by this object). */
    public MemorySegment values() { return values; }

    public int capacityTokens() { return capacity; }
    public KvTier tier() { return tier; }
    public KvType type() { return type; }
    public long rowBytes() { return rowBytes; }

    /** Bytes of the backend buffer. */
    public long bytes() { return buffer.size(); }

    /** The pages this target holds from {@code owner}'s layer {@code layer} (none when another filled it last). */
    Map<PageEntry, long[]> filled(Object owner, int layer) {
        return filledBy == owner && filledLayer == layer ? filled : Map.of();
    }

    /** The rows are unknown (a gather is under way). */
    void forget() {
        filledBy = null;
    }

    /** A gather by {@code owner} of layer {@code layer} succeeded and left {@code pages} in the rows. */
    void filledBy(Object owner, int layer, Map<PageEntry, long[]> pages) {
        filledBy = owner;
        filledLayer = layer;
        filled = pages;
    }

    @Override
    public void close() {
        buffer.close();
        headers.close();
    }
}
