package dev.canopy.natives.ggml;

import dev.canopy.natives.NativeLog;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * ggml's backend scheduler over several backends (a GPU first, the CPU last): it assigns each node
 * of a graph to the backend holding its weights (or the next one that supports the op), splits
 * the graph where the backend changes, copies the tensors crossing a split, and keeps one compute
 * buffer per backend. llama.cpp places its layers the same way. Owns the native
 * {@code ggml_backend_sched_t}; borrows the backends, which must outlive it.
 */
public final class BackendScheduler implements AutoCloseable {
    private MemorySegment sched;               // owned: ggml_backend_sched_t, freed in close()
    private final List<GgmlBackend> backends;  // borrowed

    private BackendScheduler(MemorySegment sched, List<GgmlBackend> backends) {
        this.sched = sched;
        this.backends = backends;
    }

    /**
     * A scheduler over {@code backends} in priority order, the CPU last, for graphs of up to
     * {@code graphSize} tensors (nodes and leaves). Ops whose weights sit in host memory may still
     * run on the GPU when that backend asks for them (large batches), as in llama.cpp.
     */
    public static BackendScheduler create(List<GgmlBackend> backends, long graphSize) {
        if (backends.isEmpty() || !backends.getLast().isCpu()) {
            throw new IllegalArgumentException("the scheduler's last backend must be the CPU");
        }
        MemorySegment s;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = arena.allocate(ValueLayout.ADDRESS, backends.size());
            for (int i = 0; i < backends.size(); i++) array.setAtIndex(ValueLayout.ADDRESS, i, backends.get(i).handle());
            s = llama_h.ggml_backend_sched_new(array, MemorySegment.NULL, backends.size(), graphSize, false, true);
        }
        if (s.equals(MemorySegment.NULL)) throw new IllegalStateException("ggml_backend_sched_new failed" + NativeLog.drainAsSuffix());
        return new BackendScheduler(s, List.copyOf(backends));
    }

    /** Sizes every backend's compute buffer for {@code graph} (buffers only grow). */
    public void reserve(MemorySegment graph) {
        if (!llama_h.ggml_backend_sched_reserve(handle(), graph)) {
            throw BackendAllocationException.fromLog("the compute buffers", BackendAllocationException.UNKNOWN_MEMORY, NativeLog.drain());
        }
    }

    /** Splits {@code graph} over the backends and assigns memory to its tensors; inputs are written after this. */
    public void allocate(MemorySegment graph) {
        llama_h.ggml_backend_sched_reset(handle());
        if (!llama_h.ggml_backend_sched_alloc_graph(handle(), graph)) {
            throw BackendAllocationException.fromLog("the compute graph", BackendAllocationException.UNKNOWN_MEMORY, NativeLog.drain());
        }
    }

    /** Computes the graph last allocated, split by split, and waits for every backend. */
    public void compute(MemorySegment graph) {
        int status = llama_h.ggml_backend_sched_graph_compute(handle(), graph);
        if (status != llama_h.GGML_STATUS_SUCCESS()) {
            throw new IllegalStateException("ggml graph compute failed with status " + status + NativeLog.drainAsSuffix());
        }
    }

    /** Bytes of the compute buffers of every backend together. */
    public long bufferSize() {
        long sum = 0;
        for (GgmlBackend b : backends) sum += llama_h.ggml_backend_sched_get_buffer_size(handle(), b.handle());
        return sum;
    }

    /** How many splits the last allocated graph has (1 when it runs on one backend). */
    public int splits() {
        return llama_h.ggml_backend_sched_get_n_splits(handle());
    }

    private MemorySegment handle() {
        if (sched == null) throw new IllegalStateException("backend scheduler is closed");
        return sched;
    }

    @Override
    public void close() {
        if (sched != null) {
            llama_h.ggml_backend_sched_free(sched);
            sched = null;
        }
    }
}
