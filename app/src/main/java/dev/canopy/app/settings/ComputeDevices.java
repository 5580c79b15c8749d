package dev.canopy.app.settings;

import dev.canopy.engine.DefaultGpu;
import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.NativeLibraryException;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which device models run on with the user's settings, in words, for {@code canopy info}, the
 * Settings view and the model bar. The GPU is the engine's {@link DefaultGpu}: the first discrete
 * GPU ggml lists, else an integrated one; CPU-type Vulkan devices (Mesa's lavapipe) are not listed.
 */
public final class ComputeDevices {
    private final Supplier<List<BackendDevice>> devices;
    private volatile Optional<BackendDevice> gpu;   // read once: the devices do not change while the app runs

    /** @param devices ggml's devices (loads the native libraries on first use; may throw {@link NativeLibraryException}) */
    public ComputeDevices(Supplier<List<BackendDevice>> devices) {
        this.devices = devices;
    }

    /** The devices of this process's native runtime. */
    public static ComputeDevices ofThisMachine() {
        return new ComputeDevices(() -> dev.canopy.natives.NativeRuntime.get().devices());
    }

    /** The GPU models go to by default, if this machine has one. */
    public Optional<BackendDevice> gpu() {
        Optional<BackendDevice> g = gpu;
        if (g == null) gpu = g = DefaultGpu.among(devices.get());
        return g;
    }

    /** What this machine offers: "GPU NVIDIA GeForce RTX 4070 (Vulkan0), 11,264 MiB free" or that there is none. */
    public String detected() {
        try {
            return gpu().map(g -> "GPU " + DefaultGpu.label(g) + ", " + String.format("%,d MiB free", g.memoryFree() >> 20))
                    .orElse("no GPU found (ggml lists none): models run on the CPU");
        } catch (NativeLibraryException e) {
            return "unknown: the native libraries did not load";
        }
    }

    /** Where a model loaded with {@code settings} will run: "GPU ..." or "CPU" with the reason. */
    public String planned(AppSettings settings) {
        int workers = settings.workerEndpoints().size();
        if (workers > 0) {
            return "layers over " + workers + (workers == 1 ? " other computer" : " other computers") + " and this one (Settings, Other computers)";
        }
        if (settings.device() == ComputeDevice.CPU) return "CPU (chosen in Settings)";
        if (settings.gpuLayers() == 0) return "CPU (0 layers on the GPU in Settings)";
        try {
            return gpu().map(g -> "GPU " + DefaultGpu.label(g)).orElse("CPU (no GPU found)");
        } catch (NativeLibraryException e) {
            return "unknown: the native libraries did not load";
        }
    }
}
