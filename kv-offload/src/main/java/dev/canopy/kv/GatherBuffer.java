package dev.canopy.kv;

import dev.canopy.kv.tier.GatherTarget;
import dev.canopy.kv.tier.TensorCopy;
import dev.canopy.natives.ffi.llama_h;

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
    private final GatherTarget target; // owned: the tensors, their buffer and what their rows hold

    GatherBuffer(MemorySegment bufferType, KvTier tier, KvLayout layout, int capacityTokens) {
        this.target = new GatherTarget(bufferType, tier, layout, capacityTokens);
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

    /** What the store gathers into. Borrowed. */
    GatherTarget target() { return target; }

    /** The K tensor, [kvHeads * headDim, capacity]. Borrowed (owned by this object). */
    public MemorySegment keys() { return target.keys(); }

    /** The V tensor, [kvHeads * headDim, capacity]. Borrowed (owned by this object). */
    public MemorySegment values() { return target.values(); }

    public int capacityTokens() { return target.capacityTokens(); }

    /** DEVICE or HOST. */
    public KvTier tier() { return target.tier(); }

    public KvType type() { return target.type(); }

    /** Bytes of one row. */
    public long rowBytes() { return target.rowBytes(); }

    /** Copies the first {@code tokens} K rows into host memory {@code dst} (for tests and tools). */
    public void readKeys(int tokens, MemorySegment dst) {
        TensorCopy.toHost(keys(), 0, dst, tokens * rowBytes());
    }

    /** Copies the first {@code tokens} V rows into host memory {@code dst}. */
    public void readValues(int tokens, MemorySegment dst) {
        TensorCopy.toHost(values(), 0, dst, tokens * rowBytes());
    }

    /** Bytes of the backend buffer. */
    public long bytes() { return target.bytes(); }

    @Override
    public void close() {
        target.close();
    }
}
