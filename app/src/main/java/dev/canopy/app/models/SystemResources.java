package dev.canopy.app.models;

import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.NativeRuntime;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * What this machine offers: processors, system memory, and GPUs ggml can use.
 *
 * @param processors  logical processors
 * @param memoryTotal system memory, bytes
 * @param memoryFree  free system memory, bytes
 * @param gpus        GPUs (empty on CPU-only builds)
 */
public record SystemResources(int processors, long memoryTotal, long memoryFree, List<BackendDevice> gpus) {

    public SystemResources {
        gpus = List.copyOf(gpus);
    }

    /** Asks ggml for its devices; falls back to the JVM's view of the machine when the natives cannot load. */
    public static SystemResources detect() {
        int cpus = Runtime.getRuntime().availableProcessors();
        try {
            List<BackendDevice> devices = NativeRuntime.get().devices();
            BackendDevice cpu = devices.stream().filter(d -> d.kind() == BackendDevice.Kind.CPU).findFirst().orElse(null);
            List<BackendDevice> gpus = devices.stream().filter(BackendDevice::isGpu).toList();
            if (cpu != null && cpu.memoryTotal() > 0) return new SystemResources(cpus, cpu.memoryTotal(), cpu.memoryFree(), gpus);
            return fromJvm(cpus, gpus);
        } catch (RuntimeException | LinkageError e) {
            return fromJvm(cpus, List.of());
        }
    }

    private static SystemResources fromJvm(int cpus, List<BackendDevice> gpus) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return new SystemResources(cpus, os.getTotalMemorySize(), os.getFreeMemorySize(), gpus);
        }
        return new SystemResources(cpus, Runtime.getRuntime().maxMemory(), Runtime.getRuntime().freeMemory(), gpus);
    }

    /** The largest GPU memory, or 0 without a GPU. */
    public long largestGpuMemory() {
        return gpus.stream().mapToLong(BackendDevice::memoryTotal).max().orElse(0);
    }
}
