package dev.canopy.tools.cli;

import dev.canopy.app.cli.CliException;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.GenerationStats;
import dev.canopy.engine.InferenceModel;
import dev.canopy.natives.llama.SamplerSettings;
import dev.canopy.natives.rpc.RpcEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code canopy bench-rpc}: the same greedy generation on this computer alone and with the offloaded layers
 * on workers, in one run (interleaved, fastest kept): prefill and decode speed and the split's ratio to local.
 */
@Command(name = "bench-rpc", mixinStandardHelpOptions = true,
        description = "Prefill and decode speed on this computer alone vs split over workers (--rpc), in one run, as ratios.")
final class BenchRpcCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    @Option(names = "--rpc", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]", description = "Workers (`canopy worker`).")
    String rpc;

    @Option(names = "--gpu-layers", defaultValue = "-1", paramLabel = "N",
            description = "Offloaded layers in the split run (-1 = all, over the workers and this computer's GPU). Default: ${DEFAULT-VALUE}.")
    int gpuLayers;

    @Option(names = "--prompt-tokens", defaultValue = "256", paramLabel = "N", description = "About this many prompt tokens. Default: ${DEFAULT-VALUE}.")
    int promptTokens;

    @Option(names = "--gen-tokens", defaultValue = "32", paramLabel = "N", description = "Greedy tokens generated. Default: ${DEFAULT-VALUE}.")
    int genTokens;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "CPU threads here (0 = all).")
    int threads;

    @Option(names = "--engine", defaultValue = "llama", paramLabel = "canopy|llama",
            description = "The engine of both runs: llama (llama.cpp's decoder) or canopy (Canopy's own graph, decision 0200). Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--repeats", defaultValue = "2", paramLabel = "N", description = "Interleaved runs of each; the fastest is kept. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(model)) throw new CliException("no model file at " + model);
        if (promptTokens < 1 || genTokens < 1 || repeats < 1) throw new CliException("--prompt-tokens, --gen-tokens and --repeats must be at least 1");
        if (gpuLayers == 0) throw new CliException("--gpu-layers 0 puts nothing on the workers");
        List<RpcEndpoint> workers;
        try {
            workers = RpcEndpoint.parseList(rpc);
        } catch (IllegalArgumentException e) {
            throw new CliException("--rpc: " + e.getMessage());
        }
        EngineKind kind = switch (engine.toLowerCase(java.util.Locale.ROOT)) {
            case "canopy" -> EngineKind.CANOPY;
            case "llama", "llama.cpp" -> EngineKind.LLAMA;
            default -> throw new CliException("--engine must be canopy or llama, not '" + engine + "'");
        };
        // both on the same engine, so the only difference is where the layers run
        EngineOptions local = new EngineOptions(kind, promptTokens + genTokens + 64, 0, threads, 0);
        EngineOptions split = local.withGpuLayers(gpuLayers).withWorkers(workers);
        String prompt = "The quick brown fox jumps over the lazy dog. ".repeat(Math.max(1, promptTokens / 10));
        try (InferenceModel here = Engines.load(model, local); InferenceModel over = Engines.load(model, split)) {
            out.printf("bench-rpc %s (%s engine): %d prompt tokens, %d generated, fastest of %d; split: %s%n",
                    model.getFileName(), over.engine().name().toLowerCase(java.util.Locale.ROOT), promptTokens, genTokens, repeats, over.runsOn());
            GenerationResult[] best = new GenerationResult[2];
            boolean counted = LoopbackTraffic.readable() && workers.stream().allMatch(LoopbackTraffic::isLoopback);
            LoopbackTraffic.Run traffic = null;
            for (int r = 0; r < repeats; r++) {
                best[0] = faster(best[0], run(here, prompt, GenerationListener.NONE));
                LoopbackTraffic.Run t = new LoopbackTraffic.Run();
                GenerationResult split1 = run(over, prompt, t);
                t.finished();
                best[1] = faster(best[1], split1);
                if (best[1] == split1) traffic = t;   // the bytes of the run whose speeds are shown
            }
            GenerationStats l = best[0].stats(), s = best[1].stats();
            out.printf("%-22s %12s %12s%n", "", "prefill tok/s", "decode tok/s");
            out.printf("%-22s %12.1f %12.1f%n", "this computer only", l.prefillTokensPerSecond(), l.decodeTokensPerSecond());
            out.printf("%-22s %12.1f %12.1f%n", "split over " + workers.size() + " worker" + (workers.size() == 1 ? "" : "s"),
                    s.prefillTokensPerSecond(), s.decodeTokensPerSecond());
            out.printf("%-22s %12.2fx %11.2fx%n", "split / local", s.prefillTokensPerSecond() / l.prefillTokensPerSecond(),
                    s.decodeTokensPerSecond() / l.decodeTokensPerSecond());
            out.printf("decode time per token: local %.2f ms, split %.2f ms (split minus local: %+.2f ms)%n",
                    l.decodeMillis() / l.generatedTokens(), s.decodeMillis() / s.generatedTokens(),
                    s.decodeMillis() / s.generatedTokens() - l.decodeMillis() / l.generatedTokens());
            if (counted && traffic != null) {
                out.printf("bytes on the loopback interface (both ways, TCP/IP headers included): %.0f per prompt token, %.0f per decoded token%n",
                        (double) traffic.prefillBytes() / s.promptTokens(), (double) traffic.decodeBytes() / Math.max(1, s.generatedTokens()));
            } else {
                out.println("bytes per token: not counted (Linux's /proc/net/dev counts them for workers on this computer's loopback only)");
            }
            out.println("greedy tokens " + (Arrays.equals(best[0].tokens(), best[1].tokens()) ? "identical" : "DIFFER") + " (prompt " + l.promptTokens() + " tokens)");
        }
        out.flush();
        return 0;
    }

    private GenerationResult run(InferenceModel m, String prompt, GenerationListener listener) {
        try (GenerationSession session = m.openSession()) {
            return session.generate(new GenerationRequest(prompt, genTokens, SamplerSettings.greedy(), List.of(), new CancellationToken()),
                    listener);
        }
    }

    private static GenerationResult faster(GenerationResult a, GenerationResult b) {
        if (a == null) return b;
        long ta = a.stats().prefillNanos() + a.stats().decodeNanos(), tb = b.stats().prefillNanos() + b.stats().decodeNanos();
        return tb < ta ? b : a;
    }
}
