package dev.canopy.natives;

/**
 * A compute device ggml can use (the CPU, a CUDA / Metal / Vulkan GPU).
 *
 * @param index       position in ggml's device registry
 * @param name        ggml's short name, e.g. {@code CPU}, {@code CUDA0}
 * @param description the human-readable device name
 * @param kind        CPU, GPU, integrated GPU or accelerator
 * @param memoryFree  free bytes as reported by the backend (for the CPU: system memory)
 * @param memoryTotal total bytes
 */
public record BackendDevice(int index, String name, String description, Kind kind, long memoryFree, long memoryTotal) {

    public enum Kind { CPU, GPU, IGPU, ACCEL, META, UNKNOWN }

    public boolean isGpu() {
        return kind == Kind.GPU || kind == Kind.IGPU;
    }

    @Override
    public String toString() {
        return "%s (%s, %s, %,d MiB free of %,d MiB)".formatted(name, description, kind,
                memoryFree >> 20, memoryTotal >> 20);
    }
}
