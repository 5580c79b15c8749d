package dev.canopy.tools.cli;

import dev.canopy.app.cli.CliException;
import dev.canopy.tools.engine.bench.BatchBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code canopy bench-batch}: the same prompts decoded one by one and as one batch in the same run;
 * prints both times and the batch's speedup, and whether the greedy tokens agree.
 */
@Command(name = "bench-batch", mixinStandardHelpOptions = true,
        description = "Decodes the same prompts one by one and as one batch (generate --batch) in one run: times and the batch's speedup.")
final class BenchBatchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    @Option(names = "--prompt-tokens", split = ",", defaultValue = "256", paramLabel = "N[,N...]",
            description = "Prompt lengths, cycled over the prompts. Default: ${DEFAULT-VALUE}.")
    List<Integer> promptTokens;

    @Option(names = "--prompts", defaultValue = "32", paramLabel = "N", description = "Prompts in the batch. Default: ${DEFAULT-VALUE}.")
    int prompts;

    @Option(names = "--gen-tokens", defaultValue = "64", paramLabel = "N", description = "Greedy tokens per prompt. Default: ${DEFAULT-VALUE}.")
    int genTokens;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "CPU threads (0 = all).")
    int threads;

    @Option(names = "--chunk", defaultValue = "0", paramLabel = "N", description = "Prefill chunk size C (0 = the engine's default).")
    int chunk;

    @Option(names = "--repeats", defaultValue = "2", paramLabel = "N",
            description = "Interleaved runs of each way; the fastest is kept. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(model)) throw new CliException("no model file at " + model);
        int nThreads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        BatchBench.Config config;
        try {
            config = new BatchBench.Config(model, promptTokens.stream().mapToInt(Integer::intValue).toArray(), prompts, genTokens,
                    nThreads, chunk, repeats);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        out.printf("bench-batch %s: %d threads, %d prompts of %s tokens, %d generated each, fastest of %d%n",
                model.getFileName(), nThreads, prompts, promptTokens, genTokens, repeats);
        out.flush();
        BatchBench.Report report = BatchBench.run(config, out);
        out.print(report.table());
        out.flush();
        return report.identical() ? 0 : 1;
    }
}
