package dev.canopy.app.cli;

import dev.canopy.engine.kv.bench.KvDecodeBench;
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
                + " bytes read from disk per token, and answers on single-fact passkey prompts.")
final class BenchKvCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "GGUF model (e.g. passkey-llama-6l-384.gguf).") Path model;
    @Option(names = "--tokens", defaultValue = "8192", paramLabel = "N", description = "Prompt length in tokens. Default: ${DEFAULT-VALUE}.") int tokens;
    @Option(names = "--prompts", defaultValue = "3", paramLabel = "N", description = "Single-fact prompts. Default: ${DEFAULT-VALUE}.") int prompts;
    @Option(names = "--decode", defaultValue = "32", paramLabel = "N", description = "Decode steps timed per prompt. Default: ${DEFAULT-VALUE}.") int decode;
    @Option(names = "--ram-fraction", defaultValue = "0.25", paramLabel = "F", description = "KV RAM budget as a fraction of the KV size. Default: ${DEFAULT-VALUE}.") double ramFraction;
    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "CPU threads (0 = all).") int threads;
    @Option(names = "--chunk", defaultValue = "256", paramLabel = "N", description = "Prefill chunk. Default: ${DEFAULT-VALUE}.") int chunk;
    @Option(names = "--seed", defaultValue = "1", paramLabel = "S") long seed;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(model)) throw new CliException("no model file at " + model);
        if (tokens < 256 || prompts < 1 || decode < 1 || ramFraction <= 0 || ramFraction > 1) {
            throw new CliException("--tokens must be >= 256, --prompts and --decode >= 1, --ram-fraction in (0, 1]");
        }
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        try {
            KvDecodeBench.run(new KvDecodeBench.Options(model, tokens, prompts, decode, ramFraction, t, chunk, seed), spec.commandLine().getOut());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        return 0;
    }
}
