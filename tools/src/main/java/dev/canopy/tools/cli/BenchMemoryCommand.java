package dev.canopy.tools.cli;

import dev.canopy.app.cli.CliException;
import dev.canopy.app.cli.EngineSelection;
import dev.canopy.app.memories.EngineTextGenerator;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.tools.memory.bench.ExtractionBench;
import dev.canopy.tools.memory.bench.InsertBench;
import dev.canopy.memory.extract.LlmCellExtractor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code canopy bench-memory --facts 1000,10000,100000}: per-insert cost of MemForest as the store grows.
 * With {@code --extract-model FILE}: memory construction throughput with the model extracting cells,
 * parallel batches versus one cell at a time.
 */
@Command(name = "bench-memory", mixinStandardHelpOptions = true,
        description = {"Times one memory insert (store, index, route into trees, re-summarize the dirty path) at growing store sizes:"
                        + " the store is filled in batches, then --sample single inserts are timed (mean, median, ratios to the first size).",
                "With --extract-model: builds memory from --cells synthetic conversation cells with the model extracting them,"
                        + " --parallel cells per batch versus one at a time (interleaved), and prints cells/s for both and their ratio."})
public final class BenchMemoryCommand implements Callable<Integer> {
    @Option(names = "--facts", split = ",", defaultValue = "1000,10000,100000", paramLabel = "N,N,...",
            description = "Store sizes to time at. Default: ${DEFAULT-VALUE}.")
    List<Integer> facts;

    @Option(names = "--sample", defaultValue = "200", paramLabel = "N", description = "Single inserts timed at each size.")
    int sample;

    @Option(names = "--extract-model", paramLabel = "FILE",
            description = "GGUF chat model: measure construction throughput with model extraction instead of insert cost.")
    Path extractModel;

    @Option(names = "--cells", defaultValue = "8", paramLabel = "N",
            description = "With --extract-model: conversation cells per build. Default: ${DEFAULT-VALUE}.")
    int cells;

    @Option(names = "--parallel", defaultValue = "8", paramLabel = "P",
            description = "With --extract-model: cells decoded together in the parallel mode (>= 2). Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Option(names = "--rounds", defaultValue = "2", paramLabel = "N",
            description = "With --extract-model: builds per mode, alternating parallel and sequential. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--max-tokens", defaultValue = "64", paramLabel = "N",
            description = "With --extract-model: answer tokens per cell at most. Default: ${DEFAULT-VALUE}.")
    int maxTokens;

    @Mixin EngineSelection engine;

    /** Held so its level sticks: with --max-tokens below a full answer most cells fall back, one warning each. */
    private static final Logger EXTRACTOR_LOG = Logger.getLogger(LlmCellExtractor.class.getName());
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (extractModel != null) return extraction(out);
        if (facts.stream().anyMatch(n -> n < 0) || sample < 1) throw new CliException("--facts must be >= 0 and --sample >= 1");
        List<Integer> sorted = facts.stream().sorted().toList();
        InsertBench.run(sorted, sample, out);
        return 0;
    }

    private int extraction(PrintWriter out) throws IOException {
        if (cells < 1 || rounds < 1 || maxTokens < 1) throw new CliException("--cells, --rounds and --max-tokens must be >= 1");
        if (parallel < 2) throw new CliException("--parallel must be >= 2 (the sequential mode is always measured too)");
        if (!Files.isRegularFile(extractModel)) throw new CliException("--extract-model " + extractModel + " is not a file");
        try (InferenceModel m = Engines.load(extractModel, engine.toOptions()); GenerationSession session = m.openSession()) {
            m.notice().ifPresent(n -> spec.commandLine().getErr().println("note: " + n));
            out.printf("Model %s on %s, %d threads%n", extractModel.getFileName(), m.engine(),
                    engine.toOptions().effectiveThreads());
            EXTRACTOR_LOG.setLevel(Level.SEVERE); // the rows count unparsable answers
            ExtractionBench.run(new EngineTextGenerator(m, session), cells, parallel, rounds, maxTokens, out);
        }
        return 0;
    }
}
