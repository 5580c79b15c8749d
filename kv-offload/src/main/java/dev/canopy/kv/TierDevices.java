package dev.canopy.kv;

import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.MemorySegment;

/**
 * The ggml buffer types behind the memory tiers, found through ggml's device list.
 *
 * @param deviceBufferType the first GPU's buffer type, or {@code null} when ggml lists no GPU (the
 *                         device tier is then absent and its budget is 0). Borrowed: ggml's
 *                         registry keeps it for the life of the process.
 * @param hostBufferType   the GPU's host buffer type (pinned memory, fast to upload) when it offers
 *                         one, else the CPU buffer type. Borrowed, as above.
 * @param description      what was found, for logs and {@code canopy bench}
 */
public record TierDevices(MemorySegment deviceBufferType, MemorySegment hostBufferType, String description) {

    public boolean hasDevice() {
        return deviceBufferType != null;
    }

    /** Looks for a GPU (or integrated GPU) in ggml's device list. */
    public static TierDevices detect() {
        NativeRuntime.get();
        long n = llama_h.ggml_backend_dev_count();
        for (int i = 0; i < n; i++) {
            MemorySegment dev = llama_h.ggml_backend_dev_get(i);
            int type = llama_h.ggml_backend_dev_type(dev);
            if (type != llama_h.GGML_BACKEND_DEVICE_TYPE_GPU() && type != llama_h.GGML_BACKEND_DEVICE_TYPE_IGPU()) continue;
            String name = NativeRuntime.cString(llama_h.ggml_backend_dev_name(dev));
            MemorySegment deviceBuft = llama_h.ggml_backend_dev_buffer_type(dev);
            MemorySegment pinned = llama_h.ggml_backend_dev_host_buffer_type(dev);
            boolean hasPinned = !pinned.equals(MemorySegment.NULL);
            return new TierDevices(deviceBuft, hasPinned ? pinned : cpuBufferType(),
                    "device tier on " + name + " (" + NativeRuntime.cString(llama_h.ggml_backend_buft_name(deviceBuft))
                            + "); host tier in " + (hasPinned ? "pinned memory (" + NativeRuntime.cString(llama_h.ggml_backend_buft_name(pinned)) + ")"
                            : "ordinary CPU memory (the backend offers no pinned buffers)"));
        }
        return cpuOnly();
    }

    /** No device tier: host pages in ordinary CPU memory. */
    public static TierDevices cpuOnly() {
        NativeRuntime.get();
        return new TierDevices(null, cpuBufferType(),
                "no GPU in ggml's device list: the device tier is absent (budget 0); host tier in CPU memory");
    }

    /**
     * A stand-in device tier in CPU memory, so the three-tier paths (promotion, eviction, device
     * copies) run on machines without a GPU. For tests and benchmarks only.
     */
    public static TierDevices simulatedDevice() {
        NativeRuntime.get();
        return new TierDevices(cpuBufferType(), cpuBufferType(), "simulated device tier in CPU memory (testing)");
    }

    private static MemorySegment cpuBufferType() {
        MemorySegment cpu = llama_h.ggml_backend_dev_by_type(llama_h.GGML_BACKEND_DEVICE_TYPE_CPU());
        return cpu.equals(MemorySegment.NULL) ? llama_h.ggml_backend_cpu_buffer_type() : llama_h.ggml_backend_dev_buffer_type(cpu);
    }
}
