package dev.canopy.kv.tier;

import dev.canopy.kv.KvBudgetExceededException;
import dev.canopy.kv.KvBudgets;
import dev.canopy.kv.KvTier;
import dev.canopy.kv.KvType;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.BackendBuffer;
import dev.canopy.natives.ggml.GgmlContext;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-size page slots in ggml backend buffers of one buffer type (the device or the host tier),
 * never more than the tier's byte budget. Slots are 1-D tensors of the hot type; buffers are
 * allocated in blocks of up to 64 MiB as slots are needed, so an unused budget costs nothing.
 * Not thread-safe: the store calls it with its lock held.
 */
final class SlotPool implements AutoCloseable {
    private static final long BLOCK_BYTES = 64L << 20;

    private record Block(GgmlContext headers, BackendBuffer buffer, MemorySegment[] slots) {} // both owned by the pool

    private final KvTier tier;
    private final MemorySegment bufferType; // borrowed: ggml registry
    private final int hotType;
    private final long slotBytes;           // padded to the buffer type's alignment
    private final int maxSlots;
    private final int slotsPerBlock;
    private final List<Block> blocks = new ArrayList<>();
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private int inUse;
    private final boolean host;

    SlotPool(KvTier tier, MemorySegment bufferType, KvType hotType, long pageBytes, long budgetBytes) {
        this.tier = tier;
        this.bufferType = bufferType;
        this.hotType = hotType.ggmlId();
        long align = Math.max(64, llama_h.ggml_backend_buft_get_alignment(bufferType));
        this.slotBytes = (pageBytes + align - 1) / align * align;
        this.maxSlots = (int) Math.min(Integer.MAX_VALUE, budgetBytes / slotBytes);
        this.slotsPerBlock = (int) Math.max(1, Math.min(maxSlots, BLOCK_BYTES / slotBytes));
        this.host = llama_h.ggml_backend_buft_is_host(bufferType);
    }

    /** A free slot (allocating a block if the budget allows), or -1 when every slot is taken. */
    int tryAcquire() {
        if (free.isEmpty() && blocks.size() * (long) slotsPerBlock < maxSlots) grow();
        Integer s = free.poll();
        if (s == null) return -1;
        inUse++;
        return s;
    }

    void release(int slot) {
        free.push(slot);
        inUse--;
    }

    private void grow() {
        int first = blocks.size() * slotsPerBlock;
        int n = Math.min(slotsPerBlock, maxSlots - first);
        GgmlContext headers = GgmlContext.metadata(n, 0);
        MemorySegment[] slots = new MemorySegment[n];
        long elements = slotBytes / llama_h.ggml_type_size(hotType) * llama_h.ggml_blck_size(hotType); // whole blocks: >= the page
        for (int i = 0; i < n; i++) slots[i] = llama_h.ggml_new_tensor_1d(headers.handle(), hotType, elements);
        BackendBuffer buffer;
        try {
            buffer = BackendBuffer.allocate(headers, bufferType, "the KV cache");
        } catch (RuntimeException e) {
            headers.close();
            throw new KvBudgetExceededException(tier, "could not allocate " + KvBudgets.describe(n * slotBytes) + " of " + tier
                    + " memory for KV pages: " + e.getMessage());
        }
        blocks.add(new Block(headers, buffer, slots));
        for (int i = n - 1; i >= 0; i--) free.push(first + i);
    }

    /** The slot's tensor (1-D, hot type). Borrowed. */
    MemorySegment tensor(int slot) {
        return blocks.get(slot / slotsPerBlock).slots[slot % slotsPerBlock];
    }

    /** The slot's memory, for host pools. Borrowed. */
    MemorySegment host(int slot) {
        if (!host) throw new IllegalStateException(tier + " slots are not host memory");
        return TensorCopy.hostData(tensor(slot));
    }

    boolean isHost() { return host; }
    int maxSlots() { return maxSlots; }
    int slotsInUse() { return inUse; }
    long slotBytes() { return slotBytes; }

    /** Bytes of ggml buffers actually allocated (never more than the budget). */
    long allocatedBytes() {
        long s = 0;
        for (Block b : blocks) s += b.buffer.size();
        return s;
    }

    @Override
    public void close() {
        for (Block b : blocks) {
            b.buffer.close();
            b.headers.close();
        }
        blocks.clear();
        free.clear();
    }
}
