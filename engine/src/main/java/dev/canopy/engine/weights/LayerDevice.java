package dev.canopy.engine.weights;

import dev.canopy.natives.rpc.RpcEndpoint;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.Optional;

/**
 * A device that holds some of a model's layers (their weights and their KV) besides this computer's CPU:
 * this computer's GPU, or a device a worker lends over ggml's RPC backend.
 *
 * @param device a {@code ggml_backend_dev_t}, borrowed (ggml's registries keep their devices for the process's life)
 * @param label  for people, e.g. "GPU NVIDIA H100 (CUDA0) here", "RPC0 on worker 10.0.0.2:50052"
 * @param worker the worker lending it, empty for a device of this computer
 */
public record LayerDevice(MemorySegment device, String label, Optional<RpcEndpoint> worker) {
    public LayerDevice {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(worker, "worker");
        if (device.equals(MemorySegment.NULL)) throw new IllegalArgumentException("no device for " + label);
    }

    /** A device of this computer. */
    public static LayerDevice local(MemorySegment device, String label) {
        return new LayerDevice(device, label, Optional.empty());
    }

    /** A device {@code worker} lends. */
    public static LayerDevice remote(MemorySegment device, String label, RpcEndpoint worker) {
        return new LayerDevice(device, label, Optional.of(worker));
    }
}
