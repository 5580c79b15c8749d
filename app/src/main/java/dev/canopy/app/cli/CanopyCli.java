package dev.canopy.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * The {@code canopy} command line of the product: model info, generation, summaries, memory, the local
 * API, workers. The benchmarks and evaluations live apart in the tools module (decision 0170), which
 * adds its commands to {@link #commandLine} ({@code ./canopy} runs it).
 */
@Command(name = "canopy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description = "Private, on-device LLM chat and document summaries. Without a subcommand, opens the desktop app.",
        subcommands = {InfoCommand.class, GenerateCommand.class, SummarizeCommand.class,
                MemoryCommand.class, SelfTestCommand.class, ServeCommand.class, WorkerCommand.class})
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
        return execute(commandLine(out, err), args);
    }

    /**
     * The command line with the product's subcommands and {@code more} (the tools module's: annotated
     * command classes or objects), writing to the given streams and reporting errors in one line.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Object... more) {
        CommandLine cli = new CommandLine(new CanopyCli());
        for (Object command : more) cli.addSubcommand(command);
        return cli.setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(new CliErrors());
    }

    /** Runs {@code cli} (from {@link #commandLine}) with {@code args} and returns the process exit code. */
    public static int execute(CommandLine cli, String... args) {
        if (args.length > 0 && args[0].equals("--self-test")) {
            args = args.clone();
            args[0] = "self-test";
        }
        return cli.execute(args);
    }

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
