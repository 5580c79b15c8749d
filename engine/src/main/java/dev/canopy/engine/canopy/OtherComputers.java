package dev.canopy.engine.canopy;

import dev.canopy.engine.DefaultGpu;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.WorkerPlacement;
import dev.canopy.engine.weights.LayerSplit;

/**
 * Canopy's engine over other computers (decision 0200): the layers split as llama.cpp splits them over
 * the workers' devices and this computer's GPU ({@link WorkerPlacement}), each remote layer's weights and
 * KV in its worker's memory, the steps scheduled by ggml's backend scheduler over every device.
 */
final class OtherComputers {
    /** Why a session with remote layers keeps its KV out of the tiered store. */
    static final String NO_TIERS = "the tiered KV store (--kv-gpu-mb/--kv-ram-mb/--kv-dir) does not run with layers on other"
            + " computers: it pages KV to this computer's memory and disk, and each remote layer's KV lives on its worker";

    private OtherComputers() {}

    /** Connects to the options' workers (each checked first, named in errors) and splits {@code layers} over them. */
    static LayerSplit split(EngineOptions options, int layers) {
        return WorkerPlacement.connect(options.workers(), options.shares(), layers, options.gpuLayers(), DefaultGpu.ofThisMachine()).layerSplit();
    }
}
