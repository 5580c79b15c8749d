package dev.canopy.engine;

import dev.canopy.engine.weights.LayerDevice;
import dev.canopy.engine.weights.LayerSplit;
import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.llama.DeviceSplit;
import dev.canopy.natives.rpc.RpcBackend;
import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.natives.rpc.WorkerStatus;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a model's layers go when other computers lend their devices: llama.cpp's layer split
 * (input embedding on this CPU; the last {@code gpuLayers} layers, and the output when all are
 * offloaded, in runs over the workers' devices first, as llama.cpp orders them to keep network
 * transfers few, then this computer's GPU), each device's share its free memory. Each layer's KV
 * lives where the layer runs, on its worker.
 *
 * @param split     the devices and shares handed to libllama
 * @param labels    a label per device, e.g. "RPC0 on worker 10.0.0.2:50052"
 * @param owners    the worker lending each device, empty for this computer's GPU
 * @param layers    the model's repeating layers
 * @param gpuLayers offloaded layers as asked (-1 = all and the output)
 */
public record WorkerPlacement(DeviceSplit split, List<String> labels, List<Optional<RpcEndpoint>> owners, int layers, int gpuLayers) {
    public WorkerPlacement {
        labels = List.copyOf(labels);
        owners = List.copyOf(owners);
        if (labels.size() != split.devices().size() || owners.size() != labels.size()) {
            throw new IllegalArgumentException(split.devices().size() + " devices, " + labels.size() + " labels, " + owners.size() + " owners");
        }
    }

    /**
     * Connects to every worker (each checked by a handshake first: one that is down, refuses or speaks
     * another protocol version throws an exception naming it) and adds this computer's GPU when it has one;
     * the devices share the offloaded layers as {@code shares} says (by free memory by default).
     */
    public static WorkerPlacement connect(List<RpcEndpoint> workers, DeviceShares shares, int layers, int gpuLayers, Optional<BackendDevice> localGpu) {
        if (gpuLayers == 0) {
            throw new IllegalArgumentException("other computers take offloaded layers, and --gpu-layers 0 offloads none: use -1 (all) or a number of layers");
        }
        RpcBackend rpc = RpcBackend.require();
        List<MemorySegment> devices = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Optional<RpcEndpoint>> owners = new ArrayList<>();
        for (RpcEndpoint w : workers) {
            RpcBackend.RemoteWorker remote = rpc.connect(w);
            List<String> names = remote.deviceNames();
            for (int d = 0; d < remote.devices().size(); d++) {
                WorkerStatus.RemoteMemory memory = remote.status().devices().get(d);
                devices.add(remote.devices().get(d));
                weights.add((double) Math.max(memory.free(), 1));
                labels.add(names.get(d) + " on worker " + w);
                owners.add(Optional.of(w));
            }
        }
        localGpu.ifPresent(gpu -> {
            devices.add(RpcBackend.device(gpu));
            weights.add((double) Math.max(gpu.memoryFree(), 1));
            labels.add("GPU " + DefaultGpu.label(gpu) + " here");
            owners.add(Optional.empty());
        });
        return new WorkerPlacement(new DeviceSplit(devices, shares.over(labels, weights)), labels, owners, layers, gpuLayers);
    }

    /** The same split for Canopy's own engine: each layer (and the output) on the device llama.cpp would give it. */
    public LayerSplit layerSplit() {
        List<LayerDevice> devices = new ArrayList<>();
        for (int d = 0; d < labels.size(); d++) {
            devices.add(new LayerDevice(split.devices().get(d), labels.get(d), owners.get(d)));
        }
        return LayerSplit.ofAssignment(split.assign(layers, gpuLayers), devices);
    }

    /** e.g. "layers 0-1 on the CPU here; layers 2-3 on RPC0 on worker a:1; layers 4-5 and the output on RPC1 on worker b:2". */
    public String describe() {
        return layerSplit().describe();   // one wording for both engines' splits
    }

    /** How many layers (the output counted as one) each device takes, in {@link #labels()} order. */
    public int[] layersPerDevice() {
        int[] counts = new int[labels.size()];
        for (int d : split.assign(layers, gpuLayers)) if (d >= 0) counts[d]++;
        return counts;
    }
}
