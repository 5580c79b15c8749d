package dev.canopy.app.cli;

import dev.canopy.app.api.ApiConfig;
import dev.canopy.app.api.ApiServer;
import dev.canopy.app.api.RuntimeModelAccess;
import dev.canopy.app.chat.KvTiers;
import dev.canopy.app.chat.ModelRuntime;
import dev.canopy.engine.EngineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code canopy serve}: the OpenAI- and Anthropic-compatible local API over one model. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves a model over an OpenAI- and Anthropic-compatible HTTP API (Ctrl+C stops it).")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;
    @Option(names = "--host", defaultValue = ApiConfig.DEFAULT_HOST, paramLabel = "HOST",
            description = "Interface to listen on. Default: ${DEFAULT-VALUE}; any other needs --api-key.")
    String host;
    @Option(names = "--port", defaultValue = "8377", paramLabel = "N", description = "TCP port (0 = any free one). Default: ${DEFAULT-VALUE}.")
    int port;
    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Key every route but /health asks for (Authorization: Bearer KEY, or x-api-key: KEY).")
    String apiKey;
    @Option(names = "--parallel", defaultValue = "2", paramLabel = "N",
            description = "Answers generated at the same time, each with its own KV. Default: ${DEFAULT-VALUE}.")
    int parallel;
    @Option(names = "--queue", defaultValue = "16", paramLabel = "N",
            description = "Requests that may wait for a free slot; beyond them 503 with Retry-After. Default: ${DEFAULT-VALUE}.")
    int queue;
    @Option(names = "--cors-origin", paramLabel = "URL", description = "A browser origin allowed to call the API (repeatable). Default: none.")
    List<String> corsOrigins = new ArrayList<>();
    @Option(names = "--log-requests", description = "Log request bodies (message text). Off by default.")
    boolean logRequests;
    @Option(names = "--kv-dir", paramLabel = "DIR",
            description = "Keep each slot's KV in tiers with its page file here: it is saved on exit and a prompt sharing its prefix"
                    + " after a restart is not prefilled again (Canopy's engine).")
    Path kvDir;
    @Option(names = "--kv-ram-mb", defaultValue = "4096", paramLabel = "N", description = "With --kv-dir: RAM for each slot's KV in MiB. Default: ${DEFAULT-VALUE}.")
    long kvRamMb;
    @Option(names = "--kv-gpu-mb", defaultValue = "0", paramLabel = "N", description = "With --kv-dir: GPU memory for each slot's KV in MiB. Default: ${DEFAULT-VALUE}.")
    long kvGpuMb;
    @Option(names = "--kv-disk-mb", defaultValue = "16384", paramLabel = "N", description = "With --kv-dir: largest page file per slot in MiB. Default: ${DEFAULT-VALUE}.")
    long kvDiskMb;
    @Mixin EngineSelection engine;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ApiConfig config;
        try {
            config = new ApiConfig(host, port, Optional.ofNullable(apiKey), parallel, queue, corsOrigins, logRequests,
                    ApiConfig.DEFAULT_MAX_BODY);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        if (!Files.isRegularFile(model)) throw new CliException("File not found: " + model);
        Optional<KvTiers> tiers = Optional.empty();
        if (kvDir != null) {
            if (kvRamMb < 1 || kvDiskMb < 1 || kvGpuMb < 0) throw new CliException("--kv-ram-mb and --kv-disk-mb must be positive, --kv-gpu-mb 0 or more");
            Files.createDirectories(kvDir);
            tiers = Optional.of(new KvTiers(kvDir, kvGpuMb, kvRamMb, kvDiskMb));
        }
        ModelRuntime runtime = new ModelRuntime();
        EngineOptions options = engine.toOptions();
        runtime.load(model, options).notice().ifPresent(n -> err.println("note: " + n));
        String id = modelId(model);
        Optional<KvTiers> slotTiers = tiers;
        ApiServer server;
        try {
            server = ApiServer.start(config, RuntimeModelAccess.serving(runtime, model, options, () -> slotTiers), () -> id);
        } catch (IllegalStateException e) {
            runtime.close();
            throw new CliException(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("canopy serve: stopping (running answers are cancelled" + (slotTiers.isPresent() ? ", KV saved" : "") + ")");
            err.flush();
            server.close();
            runtime.close();
            stopped.countDown();
        }, "canopy-serve-stop"));
        out.println("Canopy API on " + server.url() + "  (model " + id + ", " + parallel + " slot" + (parallel == 1 ? "" : "s")
                + (config.apiKey().isPresent() ? ", API key required" : "") + ")");
        out.flush();
        stopped.await();
        return 0;
    }

    /** The id clients see in /v1/models: the file name without .gguf. */
    static String modelId(Path file) {
        String name = file.getFileName().toString();
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
    }
}
