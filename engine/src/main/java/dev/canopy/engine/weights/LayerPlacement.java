package dev.canopy.engine.weights;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a model's layers run, as llama.cpp places them with {@code -ngl}: the last {@code gpuLayers}
 * layers (their weights and their KV) on one GPU, the first ones on the CPU, and the output head
 * (output_norm, output) on the GPU only when every layer is there. The token embedding always stays
 * in host memory (it is read by row).
 *
 * @param layers      the model's layers
 * @param gpuLayers   how many of the last layers are on the GPU (0 = CPU only)
 * @param outputOnGpu whether the output head is on the GPU
 * @param device      the GPU's index in ggml's device registry, or -1 when nothing is on a GPU
 */
public record LayerPlacement(int layers, int gpuLayers, boolean outputOnGpu, int device) {
    private static final Pattern LAYER_TENSOR = Pattern.compile("blk\\.(\\d+)\\..*");

    public LayerPlacement {
        if (layers < 1 || gpuLayers < 0 || gpuLayers > layers) throw new IllegalArgumentException("bad placement " + gpuLayers + "/" + layers);
        if (outputOnGpu && gpuLayers < layers) throw new IllegalArgumentException("the output head goes to the GPU only with every layer");
        if ((gpuLayers > 0 || outputOnGpu) != (device >= 0)) throw new IllegalArgumentException("GPU layers need a device, and a device needs GPU layers");
    }

    /** Every layer on the CPU. */
    public static LayerPlacement cpuOnly(int layers) {
        return new LayerPlacement(layers, 0, false, -1);
    }

    /**
     * The placement of {@code requested} layers (-1, or more than the model has: every layer and
     * the output head, as llama.cpp counts them) within {@code budget} bytes of the device:
     * layers are taken from the last one down while they fit; the output head only when every
     * layer fits with it.
     *
     * @param layerBytes  bytes each layer needs on the device (weights and KV)
     * @param outputBytes bytes the output head needs
     */
    public static LayerPlacement plan(int requested, int device, long[] layerBytes, long outputBytes, long budget) {
        int layers = layerBytes.length;
        if (requested == 0 || device < 0) return cpuOnly(layers);
        boolean wantOutput = wantsOutput(requested, layers);
        int want = wantOutput ? layers : Math.min(requested, layers);
        long used = 0;
        int placed = 0;
        while (placed < want && used + layerBytes[layers - 1 - placed] <= budget) used += layerBytes[layers - 1 - placed++];
        boolean output = wantOutput && placed == layers && used + outputBytes <= budget;
        return placed == 0 ? cpuOnly(layers) : new LayerPlacement(layers, placed, output, device);
    }

    /** Whether {@code requested} GPU layers ask for the output head too (-1, or more than the model has). */
    private static boolean wantsOutput(int requested, int layers) {
        return requested < 0 || requested > layers;
    }

    /**
     * The next placement to try when the GPU ran out of memory for this one: the output head back
     * on the CPU first, then half the GPU layers, down to CPU only.
     */
    public LayerPlacement fewer() {
        if (outputOnGpu) return new LayerPlacement(layers, gpuLayers, false, device);
        int half = gpuLayers / 2;
        return half == 0 ? cpuOnly(layers) : new LayerPlacement(layers, half, false, device);
    }

    /** Whether this placement holds everything {@code requested} GPU layers asked for. */
    public boolean meets(int requested) {
        if (requested == 0) return true;
        return wantsOutput(requested, layers) ? outputOnGpu : gpuLayers >= requested;
    }

    /** The layer a GGUF tensor belongs to ("blk.N.…"), or -1 for the others. */
    public static int layerOf(String name) {
        Matcher m = LAYER_TENSOR.matcher(name);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Whether a GGUF tensor is part of the output head (output_norm, output). */
    public static boolean isOutputHead(String name) {
        return name.equals("output_norm.weight") || name.equals("output.weight");
    }

    /** The first layer on the GPU ({@code layers} when none is). */
    public int firstGpuLayer() {
        return layers - gpuLayers;
    }

    public boolean anyOnGpu() {
        return gpuLayers > 0;
    }

    public boolean onGpu(int layer) {
        return layer >= firstGpuLayer();
    }

    /** Whether the GGUF tensor {@code name} belongs on the GPU. */
    public boolean onGpu(String name) {
        int layer = layerOf(name);
        return layer >= 0 ? onGpu(layer) : outputOnGpu && isOutputHead(name);
    }

    /** For people: "4 of 6 layers on the GPU", "every layer and the output on the GPU", "CPU only". */
    public String describe() {
        if (!anyOnGpu()) return "CPU only";
        if (outputOnGpu) return "every layer and the output on the GPU";
        return gpuLayers + " of " + layers + " layers on the GPU";
    }
}
