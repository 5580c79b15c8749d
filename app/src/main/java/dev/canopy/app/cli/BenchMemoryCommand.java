package dev.canopy.app.cli;

import dev.canopy.memory.bench.InsertBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code canopy bench-memory --facts 1000,10000,100000}: per-insert cost of MemForest as the store grows. */
@Command(name = "bench-memory", mixinStandardHelpOptions = true,
        description = "Times one memory insert (store, index, route into trees, re-summarize the dirty path) at growing store sizes.")
public final class BenchMemoryCommand implements Callable<Integer> {
    @Option(names = "--facts", split = ",", defaultValue = "1000,10000,100000", paramLabel = "N,N,...",
            description = "Store sizes to time at. Default: ${DEFAULT-VALUE}.")
    List<Integer> facts;

    @Option(names = "--sample", defaultValue = "200", paramLabel = "N", description = "Inserts timed at each size.")
    int sample;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (facts.stream().anyMatch(n -> n < 0) || sample < 1) throw new CliException("--facts must be >= 0 and --sample >= 1");
        List<Integer> sorted = facts.stream().sorted().toList();
        InsertBench.run(sorted, sample, spec.commandLine().getOut());
        return 0;
    }
}
