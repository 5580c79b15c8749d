package dev.canopy.natives.llama;

import dev.canopy.natives.ffi.llama_batch;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A reusable token batch for {@link LlamaContext#decode}. Owns its native arrays. Not thread-safe, but
 * not bound to a thread either: a pool of the local API fills it from whichever request's thread runs
 * the step, and closes it from the thread that unloads the model.
 */
public final class LlamaBatch implements AutoCloseable {
    private final Arena arena = Arena.ofShared();   // owns the struct copy
    private final MemorySegment batch;              // owned: llama_batch by value, arrays freed in close()
    private final int capacity;
    private final int maxSeqPerToken;
    private boolean closed;

    public LlamaBatch(int capacity, int maxSeqPerToken) {
        this.capacity = capacity;
        this.maxSeqPerToken = maxSeqPerToken;
        this.batch = llama_h.llama_batch_init(arena, capacity, 0, maxSeqPerToken);
    }

    public void clear() {
        llama_batch.n_tokens(batch, 0);
    }

    public int size() {
        return llama_batch.n_tokens(batch);
    }

    /** Adds one token at {@code pos} for the given sequences; {@code wantLogits} marks it as an output. */
    public void add(int token, int pos, boolean wantLogits, int... seqIds) {
        int n = size();
        if (n >= capacity) throw new IllegalStateException("batch full (" + capacity + " tokens)");
        if (seqIds.length == 0 || seqIds.length > maxSeqPerToken) throw new IllegalArgumentException("1.." + maxSeqPerToken + " sequence ids");
        llama_batch.token(batch).reinterpret((long) capacity * 4).setAtIndex(ValueLayout.JAVA_INT, n, token);
        llama_batch.pos(batch).reinterpret((long) capacity * 4).setAtIndex(ValueLayout.JAVA_INT, n, pos);
        llama_batch.n_seq_id(batch).reinterpret((long) capacity * 4).setAtIndex(ValueLayout.JAVA_INT, n, seqIds.length);
        MemorySegment seqPtrs = llama_batch.seq_id(batch).reinterpret((long) capacity * ValueLayout.ADDRESS.byteSize());
        MemorySegment ids = seqPtrs.getAtIndex(ValueLayout.ADDRESS, n).reinterpret((long) maxSeqPerToken * 4);
        for (int i = 0; i < seqIds.length; i++) ids.setAtIndex(ValueLayout.JAVA_INT, i, seqIds[i]);
        llama_batch.logits(batch).reinterpret(capacity).set(ValueLayout.JAVA_BYTE, n, (byte) (wantLogits ? 1 : 0));
        llama_batch.n_tokens(batch, n + 1);
    }

    public int capacity() {
        return capacity;
    }

    MemorySegment struct() {
        return batch;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            llama_h.llama_batch_free(batch);
            arena.close();
        }
    }
}
