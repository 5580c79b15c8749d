package dev.canopy.tools.cli;

import dev.canopy.app.cli.CanopyCli;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * The {@code canopy} command line with the tools' commands: the product's subcommands
 * ({@link CanopyCli}) and the benchmarks, evaluations and the random-model writer (decision 0170).
 */
public final class ToolsCli {
    private ToolsCli() {}

    /** The tools' subcommands, in the order {@code canopy --help} lists them after the product's. */
    static final Class<?>[] COMMANDS = {BenchCommand.class, BenchKvCommand.class, BenchBatchCommand.class,
            BenchMemoryCommand.class, BenchServeCommand.class, BenchRpcCommand.class, EvalCommand.class, RandomModelCommand.class,
            QuantizeCommand.class};

    /** The command line alone, without the desktop. */
    public static void main(String... args) {
        System.exit(run(args));
    }

    /** Runs the CLI with {@code args} and returns the process exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the CLI writing to the given streams (tests use this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return CanopyCli.execute(commandLine(out, err), args);
    }

    /** The product's command line with the tools' subcommands added. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return CanopyCli.commandLine(out, err, (Object[]) COMMANDS);
    }
}
