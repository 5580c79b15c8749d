package dev.canopy.natives.ggml;

import dev.canopy.natives.NativeLog;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.ggml_backend_set_n_threads_t;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A ggml compute backend (the CPU, or a GPU device) started through ggml's device registry, so it
 * works with backends that ggml loads dynamically. Owns the native {@code ggml_backend_t} and, on
 * the CPU, a persistent threadpool so that every graph run does not start its threads anew.
 */
public final class GgmlBackend implements AutoCloseable {
    private MemorySegment backend;       // owned: ggml_backend_t, freed in close()
    private final MemorySegment device;  // borrowed: ggml_backend_dev_t, lives as long as the process
    private final boolean cpu;
    private CpuThreadpool threadpool;    // owned: persistent CPU worker threads, or null

    private GgmlBackend(MemorySegment backend, MemorySegment device, boolean cpu) {
        this.backend = backend;
        this.device = device;
        this.cpu = cpu;
    }

    /** The CPU backend with {@code threads} threads. */
    public static GgmlBackend cpu(int threads) {
        NativeRuntime.get();
        MemorySegment dev = llama_h.ggml_backend_dev_by_type(llama_h.GGML_BACKEND_DEVICE_TYPE_CPU());
        if (dev.equals(MemorySegment.NULL)) throw new IllegalStateException("ggml has no CPU device" + NativeLog.drainAsSuffix());
        GgmlBackend b = start(dev, true);
        b.setThreads(threads);
        try {
            b.threadpool = CpuThreadpool.attach(llama_h.ggml_backend_dev_backend_reg(dev), b.handle(), Math.max(1, threads));
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    /** The backend of device {@code index} in ggml's registry (see NativeRuntime.devices()). */
    public static GgmlBackend device(int index) {
        NativeRuntime.get();
        MemorySegment dev = llama_h.ggml_backend_dev_get(index);
        boolean isCpu = llama_h.ggml_backend_dev_type(dev) == llama_h.GGML_BACKEND_DEVICE_TYPE_CPU();
        return start(dev, isCpu);
    }

    /**
     * The backend of {@code dev}, a {@code ggml_backend_dev_t} from any registry (a worker's device from
     * ggml's RPC registry, for one), borrowed: the registry keeps it for the process's life.
     */
    public static GgmlBackend onDevice(MemorySegment dev) {
        NativeRuntime.get();
        return start(dev, llama_h.ggml_backend_dev_type(dev) == llama_h.GGML_BACKEND_DEVICE_TYPE_CPU());
    }

    private static GgmlBackend start(MemorySegment dev, boolean cpu) {
        MemorySegment b = llama_h.ggml_backend_dev_init(dev, MemorySegment.NULL);
        if (b.equals(MemorySegment.NULL)) throw new IllegalStateException("could not start ggml backend" + NativeLog.drainAsSuffix());
        return new GgmlBackend(b, dev, cpu);
    }

    /** Sets the thread count when the backend supports it (CPU); a no-op otherwise. */
    public void setThreads(int threads) {
        MemorySegment reg = llama_h.ggml_backend_dev_backend_reg(device);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fn = llama_h.ggml_backend_reg_get_proc_address(reg, arena.allocateFrom("ggml_backend_set_n_threads"));
            if (!fn.equals(MemorySegment.NULL)) ggml_backend_set_n_threads_t.invoke(fn, handle(), Math.max(1, threads));
        }
    }

    public boolean isCpu() { return cpu; }

    /** The device's name, e.g. CPU, CUDA0. */
    public String name() {
        return NativeRuntime.cString(llama_h.ggml_backend_name(handle()));
    }

    /** The backend's default buffer type. Borrowed. */
    public MemorySegment bufferType() {
        return llama_h.ggml_backend_get_default_buffer_type(handle());
    }

    /** Computes {@code graph} (every tensor already allocated); throws when ggml reports a failure. */
    public void compute(MemorySegment graph) {
        int status = llama_h.ggml_backend_graph_compute(handle(), graph);
        if (status != llama_h.GGML_STATUS_SUCCESS()) {
            throw new IllegalStateException("ggml graph compute failed with status " + status + NativeLog.drainAsSuffix());
        }
    }

    /** The native backend. Borrowed (owned by this object). */
    public MemorySegment handle() {
        if (backend == null) throw new IllegalStateException("backend is closed");
        return backend;
    }

    /** The native device. Borrowed. */
    public MemorySegment device() {
        return device;
    }

    @Override
    public void close() {
        if (backend != null) {
            llama_h.ggml_backend_free(backend);
            backend = null;
        }
        if (threadpool != null) {
            threadpool.close();
            threadpool = null;
        }
    }
}
