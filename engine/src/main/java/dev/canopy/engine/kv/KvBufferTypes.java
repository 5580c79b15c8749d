package dev.canopy.engine.kv;

import dev.canopy.natives.ggml.GgmlBackend;

import java.lang.foreign.MemorySegment;

/**
 * The ggml buffer type each model layer's KV is allocated in: host memory for the layers on the
 * CPU, device memory for the layers on a GPU or on a worker's device (see {@code LayerSplit}).
 */
@FunctionalInterface
public interface KvBufferTypes {
    /** The buffer type of layer {@code layer}'s KV. Borrowed. */
    MemorySegment of(int layer);

    /** Every layer's KV in {@code backend}'s default buffer type. */
    static KvBufferTypes all(GgmlBackend backend) {
        return layer -> backend.bufferType();
    }
}
