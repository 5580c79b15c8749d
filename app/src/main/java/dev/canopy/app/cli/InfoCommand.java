package dev.canopy.app.cli;

import dev.canopy.app.settings.ComputeDevices;
import dev.canopy.engine.DefaultGpu;
import dev.canopy.engine.DeviceShares;
import dev.canopy.engine.Engines;
import dev.canopy.engine.ModelInfo;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.WorkerPlacement;
import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.rpc.RpcBackend;
import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.natives.rpc.RpcProbe;
import dev.canopy.natives.rpc.WorkerStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code canopy info [--model FILE]}: the native runtime, its devices, and a model's metadata. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Shows the native libraries, compute devices and (with --model) a model's metadata.")
final class InfoCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "FILE", description = "A GGUF model file to describe.")
    Path model;

    @Option(names = "--rpc", paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Workers (`canopy worker`) to check: each one's protocol and devices' free memory, and with --model where the layers would go.")
    String rpc;

    @Option(names = "--gpu-layers", paramLabel = "N", defaultValue = "-1", description = "With --rpc and --model: the offloaded layers to place (-1 = all). Default: ${DEFAULT-VALUE}.")
    int gpuLayers;

    @Option(names = "--tensor-split", paramLabel = "W,W,...", description = "With --rpc and --model: each device's share of the offloaded layers, in the order listed (default: by free memory).")
    String tensorSplit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        NativeRuntime rt = NativeRuntime.get();
        out.println("Native libraries: " + rt.libraries().directory() + " (" + rt.libraries().platform() + ")");
        out.println("Devices:");
        for (BackendDevice d : rt.devices()) out.println("  " + d);
        out.println("Default device: " + ComputeDevices.ofThisMachine().detected());
        if (model != null) {
            ModelInfo i = ModelInspector.inspect(model);
            boolean own = Engines.canopyArchitectures().contains(i.architecture());
            out.println("Model: " + i.file());
            out.printf("  name:           %s%n", i.name());
            out.printf("  architecture:   %s%n", i.architecture());
            out.printf("  engine:         %s%n", own ? "Canopy (own graph)" : "llama.cpp fallback (dense)");
            out.printf("  parameters:     %s (%,d)%n", i.parameterLabel(), i.parameters());
            out.printf("  quantization:   %s%n", i.quantization());
            out.printf("  layers:         %d%n", i.layers());
            out.printf("  embedding:      %d%n", i.embedding());
            out.printf("  heads (kv):     %d (%d)%n", i.heads(), i.kvHeads());
            out.printf("  context length: %,d%n", i.contextLength());
            out.printf("  rope base:      %.0f%n", i.ropeBase());
            out.printf("  vocabulary:     %,d tokens%n", i.vocabSize());
            out.printf("  chat template:  %s%n", i.hasChatTemplate() ? "yes" : "no (ChatML is used)");
            out.printf("  file size:      %,d bytes%n", i.fileBytes());
        }
        if (rpc != null) describeWorkers(out);
        out.flush();
        return 0;
    }

    /**
     * Each worker's handshake, and with a model the split llama.cpp would make over them and this computer's
     * GPU, and Canopy's engine's (the same layers on the same devices, decision 0200).
     */
    private void describeWorkers(PrintWriter out) {
        List<RpcEndpoint> workers;
        try {
            workers = RpcEndpoint.parseList(rpc);
        } catch (IllegalArgumentException e) {
            throw new CliException("--rpc: " + e.getMessage());
        }
        out.println("Other computers:");
        for (RpcEndpoint w : workers) {
            WorkerStatus s = RpcProbe.probe(w, RpcBackend.HANDSHAKE_TIMEOUT);
            out.println("  " + w + ": RPC protocol " + s.protocol());
            for (int d = 0; d < s.devices().size(); d++) {
                WorkerStatus.RemoteMemory m = s.devices().get(d);
                out.printf("    device %d: %,d MiB free of %,d MiB%n", d, m.free() >> 20, m.total() >> 20);
            }
        }
        if (model != null) {
            if (gpuLayers == 0) throw new CliException("--gpu-layers 0 places no layer on other computers");
            ModelInfo i = ModelInspector.inspect(model);
            DeviceShares shares;
            try {
                shares = tensorSplit == null ? DeviceShares.BY_FREE_MEMORY : DeviceShares.parse(tensorSplit);
            } catch (IllegalArgumentException e) {
                throw new CliException("--tensor-split: " + e.getMessage());
            }
            WorkerPlacement p = WorkerPlacement.connect(workers, shares, i.layers(), gpuLayers, DefaultGpu.ofThisMachine());
            out.println("Split (--gpu-layers " + gpuLayers + ", " + shares.describe() + ", placed by llama.cpp): " + p.describe());
            out.println("Split with Canopy's engine (each remote layer's weights and KV on its worker): " + p.layerSplit().describe());
        }
    }
}
