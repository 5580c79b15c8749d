package dev.canopy.engine;

import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.NativeRuntime;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The GPU a model's layers go to when GPU layers are asked for (the app's default: as many as fit):
 * the first discrete GPU ggml lists, else the first integrated one, as llama.cpp picks. ggml's
 * Vulkan backend lists no CPU-type device (Mesa's lavapipe) unless {@code GGML_VK_VISIBLE_DEVICES}
 * names it, so a machine without a GPU has none and everything runs on the CPU.
 */
public final class DefaultGpu {
    private DefaultGpu() {}

    /** The GPU among {@code devices} (in ggml's order), if any. */
    public static Optional<BackendDevice> among(List<BackendDevice> devices) {
        return devices.stream().filter(BackendDevice::isGpu)
                .min(Comparator.comparing(d -> d.kind() == BackendDevice.Kind.IGPU));   // stable: ggml's order otherwise
    }

    /** The GPU of this process's native runtime, if ggml lists one. */
    public static Optional<BackendDevice> ofThisMachine() {
        return among(NativeRuntime.get().devices());
    }

    /** A device for people: its description and ggml's name, e.g. "NVIDIA GeForce RTX 4070 (Vulkan0)". */
    public static String label(BackendDevice d) {
        return d.description().isBlank() || d.description().equals(d.name()) ? d.name() : d.description() + " (" + d.name() + ")";
    }
}
