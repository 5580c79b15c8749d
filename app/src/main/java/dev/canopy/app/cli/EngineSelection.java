package dev.canopy.app.cli;

import dev.canopy.engine.DeviceShares;
import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.KvPrecision;
import dev.canopy.natives.rpc.RpcEndpoint;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;

/** Options shared by commands that load a model (a picocli mixin; public for the tools' commands). */
public final class EngineSelection {
    @Option(names = "--engine", paramLabel = "canopy|llama", defaultValue = "canopy",
            description = "canopy: our own graph engine (falls back to llama.cpp for other architectures); llama: llama.cpp's decoder. Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "CPU threads (0 = all; at most the processors).")
    int threads;

    @Option(names = "--chunk", paramLabel = "N", defaultValue = "0", description = "Prefill chunk size in tokens (0 = 256 on CPU, 512 on GPU).")
    int chunk;

    @Option(names = "--context", paramLabel = "N", defaultValue = "0", description = "Context window in tokens (0 = the model's, at most 8192).")
    int context;

    @Option(names = "--gpu-layers", paramLabel = "N", defaultValue = "-1", description = "Layers on the GPU: -1 (the default) = as many as fit on the GPU where there is one (`canopy info` names it), 0 = CPU only; more than the model has also moves the output.")
    int gpuLayers;

    @Option(names = "--kv-type", defaultValue = "f16", paramLabel = "f16|q8_0|q4_0", converter = KvTypeConverter.class,
            completionCandidates = KvTypeConverter.Names.class, description = KvTypeConverter.DESCRIPTION)
    KvPrecision kvType;

    @Option(names = "--rpc", paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Other computers running `canopy worker`: the offloaded layers (--gpu-layers) are split over their devices and this computer's GPU by free memory; each remote layer's weights and KV stay on its worker. Trusted networks or SSH tunnels only (no authentication or encryption).")
    String rpc;

    @Option(names = "--tensor-split", paramLabel = "W,W,...",
            description = "With --rpc: each device's share of the offloaded layers, one number per device in the order `canopy info --rpc` lists them (each worker's devices in --rpc order, then this computer's GPU), e.g. 3,1; 0 gives a device none. Default: by free memory.")
    String tensorSplit;

    @Mixin AttentionOptions attention;

    public EngineOptions toOptions() {
        EngineKind kind = switch (engine.toLowerCase(Locale.ROOT)) {
            case "canopy" -> EngineKind.CANOPY;
            case "llama", "llama.cpp" -> EngineKind.LLAMA;
            default -> throw new CliException("--engine must be canopy or llama, not '" + engine + "'");
        };
        EngineOptions options = new EngineOptions(kind, context, chunk, threads, gpuLayers, attention.toSettings()).withKvPrecision(kvType);
        if (kind == EngineKind.LLAMA && options.attention().mode().isSparse()) {
            throw new CliException("--attention " + attention.mode + " needs --engine canopy (llama.cpp's decoder only runs dense attention)");
        }
        if (rpc != null) {
            List<RpcEndpoint> workers;
            try {
                workers = RpcEndpoint.parseList(rpc);
            } catch (IllegalArgumentException e) {
                throw new CliException("--rpc: " + e.getMessage());
            }
            if (gpuLayers == 0) {
                throw new CliException("--rpc puts offloaded layers on other computers, and --gpu-layers 0 offloads none: use -1 (all) or a number of layers");
            }
            options = options.withWorkers(workers);
        }
        if (tensorSplit != null) {
            if (rpc == null) throw new CliException("--tensor-split shares the offloaded layers between other computers' devices: it needs --rpc");
            try {
                options = options.withShares(DeviceShares.parse(tensorSplit));
            } catch (IllegalArgumentException e) {
                throw new CliException("--tensor-split: " + e.getMessage());
            }
        }
        return options;
    }
}
