package dev.canopy.engine.canopy;

import dev.canopy.engine.DefaultGpu;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.weights.LayerDevice;
import dev.canopy.engine.weights.LayerPlacement;
import dev.canopy.engine.weights.LayerSplit;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.ggml.BackendAllocationException;
import dev.canopy.natives.gguf.GgufFile;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How many of a model's layers go to the GPU: what the user asked for ({@code --gpu-layers}, the
 * Settings view's GPU layers), within the {@link DefaultGpu}'s free memory less a reserve for compute
 * buffers. A layer costs its weights and its F16 KV at the session's context.
 */
final class GpuLayers {
    /** Device memory kept free for compute buffers and the backend's own needs. */
    static final long RESERVE_BYTES = 512L << 20;

    private GpuLayers() {}

    /** Where a model with this placement runs, for people ({@code canopy info}, the model bar). */
    static String runsOn(LayerPlacement placed, List<BackendDevice> devices) {
        if (!placed.anyOnGpu()) return "CPU";
        String gpu = devices.stream().filter(d -> d.index() == placed.device()).findFirst()
                .map(DefaultGpu::label).orElse("device " + placed.device());
        return "GPU " + gpu + ": " + placed.describe();
    }

    /** {@code placed} as a split: its GPU layers on that device of {@code devices}. */
    static LayerSplit split(LayerPlacement placed, List<BackendDevice> devices) {
        if (!placed.anyOnGpu()) return LayerSplit.cpuOnly(placed.layers());
        String label = devices.stream().filter(d -> d.index() == placed.device()).findFirst()
                .map(d -> "GPU " + DefaultGpu.label(d) + " here").orElse("device " + placed.device());
        return LayerSplit.of(placed, LayerDevice.local(llama_h.ggml_backend_dev_get(placed.device()), label));
    }

    /** What the model's notice says when the GPU took fewer layers than asked for. */
    static String shortfall(LayerPlacement placed) {
        if (!placed.anyOnGpu()) return "No layer fits in the GPU's free memory; every layer runs on the CPU.";
        return "Only " + placed.describe() + " fit in the GPU's free memory; the rest runs on the CPU.";
    }

    /**
     * Loads with {@code plan}, and when the GPU's memory runs out (another program took it since
     * the plan read the free memory, or the driver reports more than it gives) again with fewer
     * layers on the GPU ({@link LayerPlacement#fewer}), down to CPU only; a failure then is the
     * load's own and is thrown.
     */
    static <T> T loadFitting(LayerPlacement plan, Function<LayerPlacement, T> load) {
        for (LayerPlacement tried = plan; ; tried = tried.fewer()) {
            try {
                return load.apply(tried);
            } catch (BackendAllocationException full) {
                if (!tried.anyOnGpu()) throw full;
            }
        }
    }

    /** The placement for {@code requested} GPU layers (0 = none, -1 = as many as fit) on the {@link DefaultGpu} of {@code devices}. */
    static LayerPlacement plan(int requested, ModelHparams hp, List<GgufFile.TensorInfo> tensors, int contextCells,
                               List<BackendDevice> devices) {
        Optional<BackendDevice> gpu = DefaultGpu.among(devices);
        if (requested == 0 || gpu.isEmpty()) return LayerPlacement.cpuOnly(hp.layers());
        long kvPerLayer = 2L * 2 * hp.kvWidth() * (contextCells + 1L);   // K and V, F16
        long[] layerBytes = new long[hp.layers()];
        Arrays.fill(layerBytes, kvPerLayer);
        long outputBytes = 0;
        for (GgufFile.TensorInfo t : tensors) {
            int il = LayerPlacement.layerOf(t.name());
            if (il >= 0 && il < layerBytes.length) layerBytes[il] += t.bytes();
            else if (LayerPlacement.isOutputHead(t.name())) outputBytes += t.bytes();
        }
        long budget = Math.max(0, gpu.get().memoryFree() - RESERVE_BYTES);
        return LayerPlacement.plan(requested, gpu.get().index(), layerBytes, outputBytes, budget);
    }
}
