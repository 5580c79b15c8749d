package dev.canopy.tools.cli;

import dev.canopy.app.cli.CliException;
import dev.canopy.app.cli.KvTypeConverter;
import dev.canopy.engine.KvPrecision;
import dev.canopy.tools.engine.kv.bench.KvDecodeBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code canopy bench-kv}: decode speed with the KV all in RAM vs in tiers under a RAM budget, on passkey prompts. */
@Command(name = "bench-kv", mixinStandardHelpOptions = true,
        description = "Decode tok/s with the KV all in RAM vs the tiered KV under a RAM budget (a fraction of the KV size),"
                + " bytes read from disk per token, and answers on single-fact passkey prompts; with --gpu-layers, also against"
                + " llama.cpp with its KV in RAM.")
final class BenchKvCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "GGUF model (e.g. passkey-llama-6l-384.gguf).") Path model;
    @Option(names = "--tokens", defaultValue = "8192", paramLabel = "N", description = "Prompt length in tokens. Default: ${DEFAULT-VALUE}.") int tokens;
    @Option(names = "--prompts", defaultValue = "3", paramLabel = "N", description = "Single-fact prompts. Default: ${DEFAULT-VALUE}.") int prompts;
    @Option(names = "--decode", defaultValue = "32", paramLabel = "N", description = "Decode steps timed per prompt. Default: ${DEFAULT-VALUE}.") int decode;
    @Option(names = "--ram-fraction", defaultValue = "0.25", paramLabel = "F", description = "KV RAM budget as a fraction of the KV size (0 = none). Default: ${DEFAULT-VALUE}.") double ramFraction;
    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "CPU threads (0 = all).") int threads;
    @Option(names = "--chunk", defaultValue = "256", paramLabel = "N", description = "Prefill chunk. Default: ${DEFAULT-VALUE}.") int chunk;
    @Option(names = "--seed", defaultValue = "1", paramLabel = "S") long seed;
    @Option(names = "--gpu-layers", defaultValue = "0", paramLabel = "N",
            description = "Layers on the GPU (0 = CPU only, -1 = as many as fit). With GPU layers a third lane runs llama.cpp"
                    + " with the same layers on the GPU and its KV in RAM (--no-kv-offload).") int gpuLayers;
    @Option(names = "--kv-gpu-mb", defaultValue = "0", paramLabel = "N",
            description = "With GPU layers: GPU memory for the tiers' KV in MiB (pages and the GPU layers' working set). Default: ${DEFAULT-VALUE}.") long gpuMb;
    @Option(names = "--attend", defaultValue = "0", paramLabel = "N",
            description = "Tokens each layer of the tiered KV attends to per step, chosen by the pages' key bounds"
                    + " (0 = all of them while the RAM budget holds the KV, else derived from it). Default: ${DEFAULT-VALUE}.") int attend;
    @Option(names = "--kv-type", defaultValue = "f16", paramLabel = "f16|q8_0|q4_0", converter = KvTypeConverter.class,
            completionCandidates = KvTypeConverter.Names.class, description = {KvTypeConverter.DESCRIPTION,
                    "Both lanes (all in RAM and tiered) keep it; the tiers' pages too."})
    KvPrecision kvType;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(model)) throw new CliException("no model file at " + model);
        if (tokens < 256 || prompts < 1 || decode < 1 || ramFraction < 0 || ramFraction > 1 || gpuLayers < -1 || gpuMb < 0 || attend < 0) {
            throw new CliException("--tokens must be >= 256, --prompts and --decode >= 1, --ram-fraction in [0, 1],"
                    + " --gpu-layers >= -1, --kv-gpu-mb and --attend >= 0");
        }
        if (gpuMb > 0 && gpuLayers == 0) throw new CliException("--kv-gpu-mb needs --gpu-layers (the KV of CPU layers stays in RAM)");
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        try {
            KvDecodeBench.run(new KvDecodeBench.Options(model, tokens, prompts, decode, ramFraction, t, chunk, seed, gpuLayers, gpuMb, attend,
                    kvType), spec.commandLine().getOut());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        return 0;
    }
}
