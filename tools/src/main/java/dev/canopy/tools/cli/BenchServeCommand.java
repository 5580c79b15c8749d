package dev.canopy.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.app.api.ApiConfig;
import dev.canopy.app.api.ApiServer;
import dev.canopy.app.api.RuntimeModelAccess;
import dev.canopy.app.chat.KvTiers;
import dev.canopy.app.chat.ModelRuntime;
import dev.canopy.app.cli.CliException;
import dev.canopy.app.cli.EngineSelection;
import dev.canopy.engine.EngineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code canopy bench-serve}: the local API over loopback. Requests/s and tokens/s at several client
 * counts (ratios against one client), and time to the first token of a long shared prefix cold,
 * cached in RAM, and cached on disk after a restart (ratios against cold), all in one run.
 */
@Command(name = "bench-serve", mixinStandardHelpOptions = true,
        description = "Benchmarks the local API: throughput by clients, and time to first token cold vs cached in RAM vs on disk.")
final class BenchServeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, paramLabel = "FILE") Path model;
    @Option(names = "--clients", split = ",", defaultValue = "1,4,8", paramLabel = "N,...") List<Integer> clients;
    @Option(names = "--requests", defaultValue = "32", paramLabel = "N", description = "Requests per client count. Default: ${DEFAULT-VALUE}.") int requests;
    @Option(names = "--max-tokens", defaultValue = "32", paramLabel = "N", description = "New tokens per request. Default: ${DEFAULT-VALUE}.") int maxTokens;
    @Option(names = "--prefix-tokens", defaultValue = "16384", paramLabel = "N", description = "Tokens of the shared prefix (0 = skip). Default: ${DEFAULT-VALUE}.") int prefixTokens;
    @Mixin EngineSelection engine;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (requests < 1 || maxTokens < 1 || clients.isEmpty() || clients.stream().anyMatch(c -> c < 1)) {
            throw new CliException("--requests, --max-tokens and --clients must be at least 1");
        }
        EngineOptions options = engine.toOptions();
        int most = clients.stream().mapToInt(Integer::intValue).max().orElse(1);
        try (Served s = new Served(model, options, most, Optional.empty())) {
            out.println("throughput (" + requests + " requests of " + maxTokens + " tokens each, greedy)");
            out.println("clients  requests/s  tokens/s  vs 1 client");
            double base = 0;
            for (int c : clients) {
                double[] r = throughput(s.url(), c);
                if (base == 0) base = r[1];
                out.printf("%7d  %10.2f  %8.1f  %10.2fx%n", c, r[0], r[1], r[1] / base);
                out.flush();
            }
        }
        if (prefixTokens > 0) timeToFirstToken(out, options);
        return 0;
    }

    private double[] throughput(String url, int clientCount) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clientCount);
        AtomicInteger tokens = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                int n = i;
                all.add(pool.submit(() -> {
                    JsonNode r = post(url, body("Request " + n + ": tell me about the river and the town.", maxTokens, false));
                    tokens.addAndGet(r.at("/usage/completion_tokens").asInt());
                    return null;
                }));
            }
            for (Future<?> f : all) f.get();
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new double[] {requests / seconds, tokens.get() / seconds};
    }

    private void timeToFirstToken(PrintWriter out, EngineOptions options) throws Exception {
        String sentence = "The old house sees the new river. ";
        String prefix = sentence.repeat(Math.max(1, prefixTokens / 9));
        EngineOptions wide = options.contextTokens() > 0 ? options : options.withContext(prefixTokens + 1024);
        Path kv = Files.createTempDirectory("canopy-bench-serve-kv");
        Optional<KvTiers> tiers = Optional.of(new KvTiers(kv, 0, 1L << 16, 1L << 16));
        double cold, ram, disk;
        int cachedRam, cachedDisk;
        try (Served s = new Served(model, wide, 1, tiers)) {
            cold = firstTokenMillis(s.url(), prefix + " What does the house see?")[0];
            double[] r = firstTokenMillis(s.url(), prefix + " Which river is new?");
            ram = r[0];
            cachedRam = (int) r[1];
        }
        try (Served s = new Served(model, wide, 1, tiers)) {
            double[] r = firstTokenMillis(s.url(), prefix + " Where is the river?");
            disk = r[0];
            cachedDisk = (int) r[1];
        }
        out.println("time to first token, ~" + prefixTokens + "-token shared prefix (streamed, one slot, KV tiers in " + kv + ")");
        out.println("case                 ms  cached tokens  vs cold");
        out.printf("cold           %8.0f  %13d  %6.2fx%n", cold, 0, 1.0);
        out.printf("cached in RAM  %8.0f  %13d  %6.2fx%n", ram, cachedRam, cold / ram);
        out.printf("on disk, restart %6.0f  %13d  %6.2fx%n", disk, cachedDisk, cold / disk);
        out.flush();
    }

    /** Milliseconds to the first streamed text, and the cached tokens the final usage reports. */
    private static double[] firstTokenMillis(String url, String prompt) throws IOException, InterruptedException {
        ObjectNode b = body(prompt, 4, true);
        b.putObject("stream_options").put("include_usage", true);
        long start = System.nanoTime();
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(request(url, b), HttpResponse.BodyHandlers.ofInputStream());
        double first = -1;
        int cached = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) continue;
                JsonNode chunk = JSON.readTree(line.substring(6));
                if (first < 0 && !chunk.at("/choices/0/delta/content").asText("").isEmpty()) first = (System.nanoTime() - start) / 1e6;
                if (chunk.has("usage")) cached = chunk.at("/usage/prompt_tokens_details/cached_tokens").asInt();
            }
        }
        if (first < 0) first = (System.nanoTime() - start) / 1e6;   // no text: the whole answer
        return new double[] {first, cached};
    }

    private static ObjectNode body(String prompt, int max, boolean stream) {
        ObjectNode b = JSON.createObjectNode().put("model", "bench").put("max_tokens", max).put("temperature", 0).put("stream", stream);
        b.putArray("messages").addObject().put("role", "user").put("content", prompt);
        return b;
    }

    private static JsonNode post(String url, ObjectNode body) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(request(url, body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new CliException("the server answered " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static HttpRequest request(String url, ObjectNode body) throws IOException {
        return HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
    }

    /** A server on a free loopback port over its own runtime. */
    private static final class Served implements AutoCloseable {
        final ModelRuntime runtime = new ModelRuntime();
        final ApiServer server;

        Served(Path model, EngineOptions options, int parallel, Optional<KvTiers> tiers) {
            runtime.load(model, options);
            server = ApiServer.start(new ApiConfig("127.0.0.1", 0, Optional.empty(), parallel, 1024, List.of(), false,
                    ApiConfig.DEFAULT_MAX_BODY), new RuntimeModelAccess(runtime, () -> {}, () -> tiers), () -> "bench");
        }

        String url() { return server.url(); }

        @Override
        public void close() {
            server.close();
            runtime.close();
        }
    }
}
