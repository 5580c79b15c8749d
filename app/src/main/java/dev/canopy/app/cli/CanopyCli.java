package dev.canopy.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code canopy} command line: subcommands for model info, generation, benchmarks and evals. */
@Command(name = "canopy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description = "Private, on-device LLM chat and document summaries. Without a subcommand, opens the desktop app.",
        subcommands = {InfoCommand.class, GenerateCommand.class, BenchCommand.class, SummarizeCommand.class,
                MemoryCommand.class, EvalCommand.class, BenchKvCommand.class, BenchMemoryCommand.class, SelfTestCommand.class,
                RandomModelCommand.class, BenchBatchCommand.class, ServeCommand.class, BenchServeCommand.class, WorkerCommand.class,
                BenchRpcCommand.class})
public final class CanopyCli implements Runnable {

    /** The command line alone, without the desktop (child processes in tests, {@code canopy worker}). */
    public static void main(String... args) {
        System.exit(run(args));
    }

    /** Runs the CLI with {@code args} and returns the process exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the CLI writing to the given streams (tests use this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        if (args.length > 0 && args[0].equals("--self-test")) {
            args = args.clone();
            args[0] = "self-test";
        }
        CommandLine cli = new CommandLine(new CanopyCli())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(new CliErrors());
        return cli.execute(args);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
