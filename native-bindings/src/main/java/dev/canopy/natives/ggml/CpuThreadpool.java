package dev.canopy.natives.ggml;

import dev.canopy.natives.ffi.ggml_threadpool_params;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A persistent ggml CPU threadpool attached to a CPU backend, so graph runs reuse their worker
 * threads instead of starting new ones every time (which matters for single-token decode). The
 * CPU backend is loaded dynamically, so its functions are looked up through the registry.
 * Owns the native {@code ggml_threadpool}.
 */
final class CpuThreadpool implements AutoCloseable {
    private final MethodHandle free;
    private MemorySegment pool; // owned: ggml_threadpool*, freed in close()

    private CpuThreadpool(MethodHandle free, MemorySegment pool) {
        this.free = free;
        this.pool = pool;
    }

    /** A pool of {@code threads} attached to {@code backend}, or null when the backend offers none. */
    static CpuThreadpool attach(MemorySegment reg, MemorySegment backend, int threads) {
        MemorySegment fnNew = proc(reg, "ggml_threadpool_new");
        MemorySegment fnFree = proc(reg, "ggml_threadpool_free");
        MemorySegment fnSet = proc(reg, "ggml_backend_cpu_set_threadpool");
        if (fnNew == null || fnFree == null || fnSet == null) return null;
        Linker linker = Linker.nativeLinker();
        MethodHandle create = linker.downcallHandle(fnNew, FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        MethodHandle free = linker.downcallHandle(fnFree, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        MethodHandle set = linker.downcallHandle(fnSet, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = ggml_threadpool_params.allocate(arena);
            llama_h.ggml_threadpool_params_init(params, threads);
            MemorySegment pool = (MemorySegment) create.invokeExact(params);
            if (pool.equals(MemorySegment.NULL)) return null;
            set.invokeExact(backend, pool);
            return new CpuThreadpool(free, pool);
        } catch (Throwable t) {
            throw new IllegalStateException("could not start the ggml CPU threadpool", t);
        }
    }

    private static MemorySegment proc(MemorySegment reg, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fn = llama_h.ggml_backend_reg_get_proc_address(reg, arena.allocateFrom(name));
            return fn.equals(MemorySegment.NULL) ? null : fn;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            try {
                free.invokeExact(pool);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            pool = null;
        }
    }
}
