package dev.canopy.natives.llama;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Which devices libllama places a model's offloaded layers on, and in what shares (its
 * {@code devices} and {@code tensor_split} parameters): the last {@code gpuLayers} layers are divided
 * over the devices in this order, each device taking a run of layers in proportion to its weight.
 *
 * @param devices {@code ggml_backend_dev_t} pointers, borrowed (ggml's registry keeps them)
 * @param weights one share per device (for example its free memory), not all zero
 */
public record DeviceSplit(List<MemorySegment> devices, List<Double> weights) {
    public DeviceSplit {
        devices = List.copyOf(devices);
        weights = List.copyOf(weights);
        if (devices.isEmpty()) throw new IllegalArgumentException("a split needs at least one device");
        if (devices.size() != weights.size()) throw new IllegalArgumentException(devices.size() + " devices but " + weights.size() + " weights");
        if (weights.stream().anyMatch(w -> w < 0) || weights.stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw new IllegalArgumentException("split weights must be non-negative and not all zero: " + weights);
        }
    }

    /**
     * The device each of {@code layers} repeating layers (and, at index {@code layers}, the output) goes
     * to with {@code gpuLayers} offloaded, as llama.cpp's load_tensors assigns them: -1 for the CPU, else
     * an index into {@link #devices()}. The input embedding always stays on the CPU.
     */
    public int[] assign(int layers, int gpuLayers) {
        int n = devices.size();
        double[] cumulative = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) { sum += weights.get(i); cumulative[i] = sum; }
        float[] splits = new float[n];
        for (int i = 0; i < n; i++) splits[i] = (float) (cumulative[i] / sum);   // llama.cpp computes in float
        int offloaded = gpuLayers < 0 ? layers + 1 : gpuLayers;
        int first = Math.max(layers + 1 - offloaded, 0);
        int act = Math.min(offloaded, layers + 1);
        int[] out = new int[layers + 1];
        for (int il = 0; il <= layers; il++) {
            if (il < first || il - first >= act) { out[il] = -1; continue; }
            float x = (float) (il - first) / act;
            int d = 0;
            while (d < n && !(splits[d] > x)) d++;                              // std::upper_bound
            out[il] = Math.min(d, n - 1);
        }
        return out;
    }
}
