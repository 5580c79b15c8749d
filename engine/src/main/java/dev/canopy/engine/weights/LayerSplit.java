package dev.canopy.engine.weights;

import dev.canopy.natives.rpc.RpcEndpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where each of a model's layers runs: contiguous runs of layers on devices ({@link DeviceSpan}s, in
 * layer order), every other layer on this computer's CPU; the output head (output_norm, output) on
 * {@code output}'s device or, when empty, on the CPU. The token embedding always stays in host memory
 * (it is read by row). A {@link LayerPlacement} (the last layers on one GPU) is one such split; layers
 * over other computers' devices are another.
 *
 * @param layers the model's layers
 * @param spans  the runs of layers off the CPU, ascending, not overlapping
 * @param output the device of the output head, empty for the CPU
 */
public record LayerSplit(int layers, List<DeviceSpan> spans, Optional<LayerDevice> output) {
    public LayerSplit {
        spans = List.copyOf(spans);
        Objects.requireNonNull(output, "output");
        if (layers < 1) throw new IllegalArgumentException("a split of " + layers + " layers");
        int next = 0;
        for (DeviceSpan s : spans) {
            if (s.first() < next || s.end() > layers) throw new IllegalArgumentException("spans out of order or past layer " + layers + ": " + spans);
            next = s.end();
        }
    }

    /** Every layer and the output on the CPU. */
    public static LayerSplit cpuOnly(int layers) {
        return new LayerSplit(layers, List.of(), Optional.empty());
    }

    /** {@code placement}'s GPU layers (the last ones) and, when it says so, the output head on {@code gpu}. */
    public static LayerSplit of(LayerPlacement placement, LayerDevice gpu) {
        if (!placement.anyOnGpu()) return cpuOnly(placement.layers());
        return new LayerSplit(placement.layers(), List.of(new DeviceSpan(gpu, placement.firstGpuLayer(), placement.layers())),
                placement.outputOnGpu() ? Optional.of(gpu) : Optional.empty());
    }

    /**
     * The split of an assignment: {@code at[il]} is the index into {@code devices} of layer {@code il}'s
     * device, or -1 for the CPU; {@code at[layers]} that of the output head (as {@code DeviceSplit.assign}
     * returns them, llama.cpp's layer split).
     */
    public static LayerSplit ofAssignment(int[] at, List<LayerDevice> devices) {
        int layers = at.length - 1;
        List<DeviceSpan> spans = new ArrayList<>();
        int start = 0;
        for (int il = 1; il <= layers; il++) {
            if (il < layers && at[il] == at[start]) continue;
            if (at[start] >= 0) spans.add(new DeviceSpan(devices.get(at[start]), start, il));
            start = il;
        }
        return new LayerSplit(layers, spans, at[layers] < 0 ? Optional.empty() : Optional.of(devices.get(at[layers])));
    }

    /** The device of layer {@code layer}, empty for the CPU. */
    public Optional<LayerDevice> deviceOf(int layer) {
        for (DeviceSpan s : spans) if (s.contains(layer)) return Optional.of(s.device());
        return Optional.empty();
    }

    /** The device of the GGUF tensor {@code name} ("blk.N.…", or the output head), empty for the CPU. */
    public Optional<LayerDevice> deviceOf(String name) {
        int layer = LayerPlacement.layerOf(name);
        if (layer >= 0) return deviceOf(layer);
        return LayerPlacement.isOutputHead(name) ? output : Optional.empty();
    }

    /** The devices holding layers or the output, each once, in layer order. */
    public List<LayerDevice> devices() {
        List<LayerDevice> out = new ArrayList<>();
        for (DeviceSpan s : spans) if (!out.contains(s.device())) out.add(s.device());
        output.filter(d -> !out.contains(d)).ifPresent(out::add);
        return List.copyOf(out);
    }

    /** Whether anything runs off this computer's CPU. */
    public boolean anyOffloaded() {
        return !spans.isEmpty() || output.isPresent();
    }

    /** The workers lending devices to this split, each once, in layer order. */
    public List<RpcEndpoint> workers() {
        return devices().stream().flatMap(d -> d.worker().stream()).distinct().toList();
    }

    /** How many layers {@code device} holds. */
    public int layersOn(LayerDevice device) {
        return spans.stream().filter(s -> s.device().equals(device)).mapToInt(s -> s.end() - s.first()).sum();
    }

    /**
     * For people, e.g. "layers 0-1 on the CPU here; layers 2-4 on RPC0 on worker a:1; layer 5 and the
     * output on RPC1 on worker b:2" (the words {@code WorkerPlacement} uses for llama.cpp's split).
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        int il = 0;
        while (il < layers) {
            Optional<LayerDevice> d = deviceOf(il);
            int end = il + 1;
            while (end < layers && deviceOf(end).equals(d)) end++;
            String range = end - il == 1 ? "layer " + il : "layers " + il + "-" + (end - 1);
            boolean withOutput = end == layers && output.equals(d);
            parts.add(range + (withOutput ? " and the output" : "") + " on " + d.map(LayerDevice::label).orElse("the CPU here"));
            il = end;
        }
        if (!deviceOf(layers - 1).equals(output)) parts.add("the output on " + output.map(LayerDevice::label).orElse("the CPU here"));
        return String.join("; ", parts);
    }
}
