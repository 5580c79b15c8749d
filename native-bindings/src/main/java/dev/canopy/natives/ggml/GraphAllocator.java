package dev.canopy.natives.ggml;

import dev.canopy.natives.NativeLog;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.MemorySegment;

/**
 * ggml's graph allocator over one buffer type: places a graph's intermediate tensors in a single
 * compute buffer, reusing memory between tensors whose lifetimes do not overlap. Owns the native
 * {@code ggml_gallocr_t} and its buffer.
 */
public final class GraphAllocator implements AutoCloseable {
    private MemorySegment galloc; // owned: ggml_gallocr_t, freed in close()
    private final String memory;  // the buffer type's name, for errors

    public GraphAllocator(MemorySegment bufferType) {
        this.galloc = llama_h.ggml_gallocr_new(bufferType);
        this.memory = llama_h.ggml_backend_buft_name(bufferType).getString(0);
        if (galloc.equals(MemorySegment.NULL)) throw new IllegalStateException("ggml_gallocr_new failed");
    }

    /** Sizes the compute buffer for {@code graph} (the largest graph this allocator will see). */
    public void reserve(MemorySegment graph) {
        if (!llama_h.ggml_gallocr_reserve(handle(), graph)) {
            throw BackendAllocationException.fromLog("the compute buffer", memory, NativeLog.drain());
        }
    }

    /** Assigns memory to every tensor of {@code graph} (growing the buffer if it must). */
    public void allocate(MemorySegment graph) {
        if (!llama_h.ggml_gallocr_alloc_graph(handle(), graph)) {
            throw BackendAllocationException.fromLog("the compute graph", memory, NativeLog.drain());
        }
    }

    /** Bytes of the compute buffer. */
    public long bufferSize() {
        return llama_h.ggml_gallocr_get_buffer_size(handle(), 0);
    }

    private MemorySegment handle() {
        if (galloc == null) throw new IllegalStateException("graph allocator is closed");
        return galloc;
    }

    @Override
    public void close() {
        if (galloc != null) {
            llama_h.ggml_gallocr_free(galloc);
            galloc = null;
        }
    }
}
