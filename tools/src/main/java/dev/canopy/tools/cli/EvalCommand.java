package dev.canopy.tools.cli;

import dev.canopy.app.cli.CliException;
import dev.canopy.tools.memory.eval.LocomoEval;
import dev.canopy.tools.memory.eval.LocomoReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code canopy eval ...}: quality measurements that print machine-readable results. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Quality measurements.",
        subcommands = {EvalCommand.Locomo.class, EvalPasskeyCommand.class})
public final class EvalCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code canopy eval locomo FILE... [--k 10]}. */
    @Command(name = "locomo", mixinStandardHelpOptions = true,
            description = {"Evidence recall@k of MemForest retrieval on LoCoMo conversations, next to plain BM25 over the raw turns.",
                    "Each conversation goes into its own fresh memory file; turns become the leaves (no model needed).",
                    "Prints one JSON object: {\"ours\":{...},\"bm25\":{...},\"questions\":N,\"construction_s\":S}."})
    static final class Locomo implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "LoCoMo conversation files (JSON).")
        List<Path> files;

        @Option(names = "--k", defaultValue = "10", paramLabel = "K", description = "Facts retrieved per question. Default: ${DEFAULT-VALUE}.")
        int k;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            for (Path f : files) {
                if (!Files.isRegularFile(f)) throw new CliException("LoCoMo file not found: " + f);
            }
            if (k < 1) throw new CliException("--k must be at least 1, not " + k);
            LocomoReport report;
            try {
                report = LocomoEval.run(files, k, Optional.empty());
            } catch (IllegalArgumentException | com.fasterxml.jackson.core.JacksonException e) {
                throw new CliException("Not a LoCoMo conversation file: " + e.getMessage(), e);
            }
            if (report.questions() == 0) {
                throw new CliException("No LoCoMo questions in " + files + ": each file needs \"conversation\" sessions and a \"qa\" list.");
            }
            spec.commandLine().getOut().println(report.toJson());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
