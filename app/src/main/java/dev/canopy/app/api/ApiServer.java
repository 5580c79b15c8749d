package dev.canopy.app.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The local API server: OpenAI- and Anthropic-compatible routes on Javalin (Jetty 12), answering
 * with the model {@link ModelAccess} gives (decision 0085). Owns the Jetty server and the slots.
 */
public final class ApiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ApiServer.class.getName());
    /** How long closing waits for cancelled answers to reach their next token. */
    private static final long STOP_WAIT_MS = 10_000;
    /** Jetty's and Javalin's java.util.logging loggers (held: it keeps them weakly), quiet below warnings. */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.stream.Stream.of("org.eclipse.jetty", "io.javalin")
            .map(java.util.logging.Logger::getLogger).peek(l -> l.setLevel(java.util.logging.Level.WARNING)).toList();

    private final ApiConfig config;
    private final ObjectMapper json = new ObjectMapper();
    private final Slots slots;      // owned
    private final EmbeddingService embeddings; // owned
    private final Javalin app;      // owned
    private final AtomicLong served = new AtomicLong();
    private boolean closed;

    private ApiServer(ApiConfig config, ModelAccess access, Supplier<String> modelId) {
        this.config = config;
        this.slots = new Slots(access, config.parallel(), config.queue());
        this.embeddings = new EmbeddingService(access, slots.turnLock(), modelId, config.queue());
        Generator generator = new Generator(access, slots);
        OpenAiApi openAi = new OpenAiApi(json, this::body, generator, embeddings, modelId);
        AnthropicApi anthropic = new AnthropicApi(json, this::body, generator, modelId);
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.http.maxRequestSize = config.maxBodyBytes();
            c.http.compressionStrategy = CompressionStrategy.NONE;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            if (!config.corsOrigins().isEmpty()) {
                c.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    config.corsOrigins().forEach(o -> rule.allowHost(o));
                    rule.exposeHeader("Retry-After");
                }));
            }
            c.requestLogger.http((ctx, ms) -> LOG.log(Level.INFO, () -> ctx.method() + " " + ctx.path() + " "
                    + ctx.status().getCode() + " " + Math.round(ms) + " ms"));
            c.routes.before(this::authorize);
            c.routes.get("/health", ctx -> json(ctx, json, 200, json.createObjectNode().put("status", "ok")));
            c.routes.get("/v1/models", openAi::models);
            c.routes.post("/v1/chat/completions", ctx -> counted(ctx, openAi::chat));
            c.routes.post("/v1/completions", ctx -> counted(ctx, openAi::completions));
            c.routes.post("/v1/embeddings", ctx -> counted(ctx, openAi::embeddings));
            c.routes.post("/v1/messages", ctx -> counted(ctx, anthropic::messages));
            c.routes.post("/v1/messages/count_tokens", anthropic::countTokens);
            c.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e));
            c.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, new ApiException(e.getStatus(),
                    e.getStatus() == 413 ? "request_too_large" : "invalid_request_error", Optional.empty(),
                    e.getStatus() == 413 ? "the request body is larger than " + (config.maxBodyBytes() >> 20) + " MiB"
                            : e.getMessage())));
            // a worker (--rpc) lost mid-answer: the model was unloaded (ModelAccess), the next request loads it without that worker
            c.routes.exception(dev.canopy.natives.rpc.WorkerLostException.class, (e, ctx) -> error(ctx, new ApiException(503, "unavailable",
                    Optional.empty(), e.getMessage() + "; the next request runs without it (restart the server to use it again)")));
            c.routes.exception(Exception.class, (e, ctx) -> {
                LOG.log(Level.ERROR, "API request failed: " + ctx.method() + " " + ctx.path(), e);
                error(ctx, new ApiException(500, "server_error", Optional.empty(), "the answer failed: " + e.getMessage()));
            });
            c.routes.error(404, ctx -> {
                if (ctx.result() == null) error(ctx, new ApiException(404, "not_found_error", Optional.empty(),
                        "no route " + ctx.method() + " " + ctx.path()));
            });
        });
    }

    /**
     * Starts listening; throws {@link IllegalStateException} with a one-line reason when the port
     * cannot be bound.
     */
    public static ApiServer start(ApiConfig config, ModelAccess access, Supplier<String> modelId) {
        ApiServer server = new ApiServer(config, access, modelId);
        try {
            server.app.start();
        } catch (RuntimeException e) {
            server.embeddings.close();
            server.slots.close();
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof java.net.BindException)) cause = cause.getCause();
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), e);
        }
        return server;
    }

    /** The address clients use, such as {@code http://127.0.0.1:8377}. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + app.port();
    }

    public int port() { return app.port(); }

    /** Answers finished (or failed) since the start. */
    public long requestsServed() { return served.get(); }

    /** Clients with an answer running or waiting for a slot. */
    public int activeClients() { return slots.active(); }

    /** The answer slots' batch steps so far (zero where the slots take turns: KV tiers, sparse attention). */
    public dev.canopy.engine.BatchStats batchStats() { return slots.batchStats(); }

    private void counted(Context ctx, io.javalin.http.Handler handler) throws Exception {
        try {
            handler.handle(ctx);
        } finally {
            served.incrementAndGet();
        }
    }

    private void authorize(Context ctx) {
        if (config.apiKey().isEmpty() || ctx.path().equals("/health") || ctx.method() == HandlerType.OPTIONS) return;
        String bearer = Optional.ofNullable(ctx.header("Authorization")).filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim()).orElse(null);
        String key = bearer != null ? bearer : ctx.header("x-api-key");
        if (key == null || !MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                config.apiKey().get().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "authentication_error", Optional.empty(), key == null
                    ? "an API key is required: send Authorization: Bearer KEY (Anthropic clients: x-api-key)"
                    : "the API key is not valid");
        }
    }

    private void error(Context ctx, ApiException e) {
        if (e.status() == 503) ctx.header("Retry-After", "1");
        ObjectNode body = ctx.path().startsWith("/v1/messages") ? anthropicError(json, e) : openAiError(json, e);
        json(ctx, json, e.status(), body);
    }

    /** OpenAI's error shape: {@code {"error": {"message", "type", "param", "code"}}}. */
    static ObjectNode openAiError(ObjectMapper json, ApiException e) {
        ObjectNode root = json.createObjectNode();
        ObjectNode err = root.putObject("error").put("message", e.getMessage()).put("type", e.type());
        if (e.param().isPresent()) err.put("param", e.param().get()); else err.putNull("param");
        err.putNull("code");
        return root;
    }

    /** Anthropic's error shape: {@code {"type": "error", "error": {"type", "message"}}}. */
    static ObjectNode anthropicError(ObjectMapper json, ApiException e) {
        String type = switch (e.status()) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 503 -> "overloaded_error";
            default -> "api_error";
        };
        ObjectNode root = json.createObjectNode().put("type", "error");
        root.putObject("error").put("type", type).put("message", e.getMessage());
        return root;
    }

    /** The request's JSON; its text goes to the log only with {@code --log-requests}. */
    private JsonNode body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (config.logRequests()) {
            LOG.log(Level.INFO, () -> ctx.method() + " " + ctx.path() + " body: " + new String(bytes, StandardCharsets.UTF_8));
        }
        if (bytes.length == 0) throw ApiException.invalid("body", "the request has no body; send a JSON object");
        try {
            return json.readTree(bytes);
        } catch (java.io.IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw ApiException.invalid("body", "the request body is not valid JSON: " + why);
        }
    }

    static void json(Context ctx, ObjectMapper json, int status, JsonNode body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops: running answers are cancelled (they end at their next token with what they have),
     * new requests are turned away, Jetty stops, then the embedder and the slots' sessions are closed (saving tiered KV).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        slots.cancelAll();
        try {
            if (!slots.awaitIdle(STOP_WAIT_MS)) LOG.log(Level.WARNING, "answers still running after " + STOP_WAIT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        embeddings.close();
        slots.close();
    }
}
