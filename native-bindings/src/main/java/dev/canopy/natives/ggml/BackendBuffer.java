package dev.canopy.natives.ggml;

import dev.canopy.natives.NativeLog;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.MemorySegment;

/** A ggml backend buffer holding tensor data. Owns the native {@code ggml_backend_buffer_t}. */
public final class BackendBuffer implements AutoCloseable {
    private MemorySegment buffer; // owned: ggml_backend_buffer_t, freed in close()

    private BackendBuffer(MemorySegment buffer) {
        this.buffer = buffer;
    }

    /**
     * Allocates every tensor of {@code ctx} that has no data yet in one buffer of {@code bufferType}
     * (several, joined, where the type has a maximum size); throws {@link BackendAllocationException}
     * when its memory is full.
     */
    public static BackendBuffer allocate(GgmlContext ctx, MemorySegment bufferType) {
        return allocate(ctx, bufferType, "a buffer");
    }

    /** As {@link #allocate(GgmlContext, MemorySegment)}, saying in its error what the buffer is for ("the KV cache"). */
    public static BackendBuffer allocate(GgmlContext ctx, MemorySegment bufferType, String what) {
        MemorySegment b = llama_h.ggml_backend_alloc_ctx_tensors_from_buft(ctx.handle(), bufferType);
        if (b.equals(MemorySegment.NULL)) {
            long need = llama_h.ggml_backend_alloc_ctx_tensors_from_buft_size(ctx.handle(), bufferType);
            throw new BackendAllocationException(what, need, llama_h.ggml_backend_buft_name(bufferType).getString(0),
                    NativeLog.drainAsSuffix());
        }
        if (llama_h.ggml_backend_buffer_is_host(b)) {   // the KV cache, repacked weights: huge pages where Linux grants them on request
            HugePages.advise(llama_h.ggml_backend_buffer_get_base(b), llama_h.ggml_backend_buffer_get_size(b));
        }
        return new BackendBuffer(b);
    }

    /**
     * Wraps host memory owned elsewhere (a memory-mapped model file) as a CPU buffer, without
     * copying. The memory must outlive this buffer.
     */
    public static BackendBuffer wrapHost(MemorySegment memory) {
        MemorySegment b = llama_h.ggml_backend_cpu_buffer_from_ptr(memory, memory.byteSize());
        if (b.equals(MemorySegment.NULL)) throw new IllegalStateException("ggml could not wrap host memory" + NativeLog.drainAsSuffix());
        return new BackendBuffer(b);
    }

    /** Points {@code tensor} at {@code address} inside this buffer. */
    public void place(MemorySegment tensor, MemorySegment address) {
        int status = llama_h.ggml_backend_tensor_alloc(handle(), tensor, address);
        if (status != llama_h.GGML_STATUS_SUCCESS()) throw new IllegalStateException("ggml_backend_tensor_alloc failed: " + status);
    }

    /** Marks the buffer as holding weights (lets the scheduler keep ops near their weights). */
    public void markWeights() {
        llama_h.ggml_backend_buffer_set_usage(handle(), llama_h.GGML_BACKEND_BUFFER_USAGE_WEIGHTS());
    }

    public void clear(byte value) {
        llama_h.ggml_backend_buffer_clear(handle(), value);
    }

    public long size() {
        return llama_h.ggml_backend_buffer_get_size(handle());
    }

    /** The native buffer. Borrowed (owned by this object). */
    public MemorySegment handle() {
        if (buffer == null) throw new IllegalStateException("buffer is closed");
        return buffer;
    }

    @Override
    public void close() {
        if (buffer != null) {
            llama_h.ggml_backend_buffer_free(buffer);
            buffer = null;
        }
    }
}
