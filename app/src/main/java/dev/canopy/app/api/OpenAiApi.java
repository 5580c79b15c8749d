package dev.canopy.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.engine.CancellationToken;
import dev.canopy.natives.llama.ChatMessage;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Supplier;

import static dev.canopy.app.api.RequestFields.bool;
import static dev.canopy.app.api.RequestFields.positiveInt;
import static dev.canopy.app.api.RequestFields.unsupportedIfSet;

/** OpenAI's routes: /v1/models, /v1/chat/completions, /v1/completions and /v1/embeddings. */
final class OpenAiApi {
    private final ObjectMapper json;
    private final java.util.function.Function<Context, JsonNode> reader;
    private final Generator generator;
    private final EmbeddingService embeddings; // borrowed
    private final Supplier<String> modelId;

    OpenAiApi(ObjectMapper json, java.util.function.Function<Context, JsonNode> reader, Generator generator,
              EmbeddingService embeddings, Supplier<String> modelId) {
        this.json = json;
        this.reader = reader;
        this.generator = generator;
        this.embeddings = embeddings;
        this.modelId = modelId;
    }

    void models(Context ctx) {
        ObjectNode list = json.createObjectNode().put("object", "list");
        list.putArray("data").addObject().put("id", modelId.get()).put("object", "model")
                .put("created", 0).put("owned_by", "canopy");
        ApiServer.json(ctx, json, 200, list);
    }

    /** OpenAI's embeddings: a list of {@code {"object": "embedding", "index", "embedding"}} and usage (decision 0165). */
    void embeddings(Context ctx) {
        EmbeddingRequest request = EmbeddingRequest.parse(RequestFields.object(reader.apply(ctx)));
        EmbeddingService.Result r = embeddings.embed(request);
        ObjectNode out = json.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < r.vectors().size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            float[] v = r.vectors().get(i);
            switch (request.encoding()) {
                case FLOAT -> {
                    ArrayNode values = item.putArray("embedding");
                    for (float x : v) values.add(x);
                }
                case BASE64 -> item.put("embedding", base64(v));
            }
        }
        out.put("model", modelId.get());
        out.putObject("usage").put("prompt_tokens", r.promptTokens()).put("total_tokens", r.promptTokens());
        ApiServer.json(ctx, json, 200, out);
    }

    /** OpenAI's base64 embedding: the float32 values' little-endian bytes. */
    static String base64(float[] v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * Float.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return java.util.Base64.getEncoder().encodeToString(b.array());
    }

    void chat(Context ctx) {
        JsonNode body = RequestFields.object(reader.apply(ctx));
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && n.asInt() != 1) throw ApiException.unsupported("n", "n other than 1");
        unsupportedIfSet(body, "tools", "tools");
        unsupportedIfSet(body, "functions", "functions");
        unsupportedIfSet(body, "logprobs", "logprobs");
        unsupportedIfSet(body, "top_logprobs", "logprobs");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages", "messages must be a non-empty list");
        }
        List<ChatMessage> chat = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String where = "messages[" + i + "]";
            chat.add(RequestFields.message(m.path("role").asText(""), RequestFields.text(m.get("content"), where + ".content"),
                    where + ".role"));
        }
        Job job = new Job(model -> model.formatChat(chat, true), "messages", maxTokens(body),
                RequestFields.sampling(body, 2f, responseFormat(body)), RequestFields.stops(body, "stop"),
                bool(body, "stream"), body.path("stream_options").path("include_usage").asBoolean(false));
        answer(ctx, job, "chatcmpl-", true);
    }

    void completions(Context ctx) {
        JsonNode body = RequestFields.object(reader.apply(ctx));
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && n.asInt() != 1) throw ApiException.unsupported("n", "n other than 1");
        JsonNode bestOf = body.get("best_of");
        if (bestOf != null && !bestOf.isNull() && bestOf.asInt() != 1) throw ApiException.unsupported("best_of", "best_of other than 1");
        unsupportedIfSet(body, "echo", "echo");
        unsupportedIfSet(body, "logprobs", "logprobs");
        JsonNode suffix = body.get("suffix");
        if (suffix != null && !suffix.isNull() && !suffix.asText().isEmpty()) throw ApiException.unsupported("suffix", "suffix");
        JsonNode p = body.get("prompt");
        if (p != null && p.isArray() && p.size() == 1) p = p.get(0);
        if (p == null || !p.isTextual()) throw ApiException.invalid("prompt", "prompt must be a string (one prompt per request)");
        String prompt = p.asText();
        if (prompt.isEmpty()) throw ApiException.invalid("prompt", "prompt is empty");
        OptionalInt max = maxTokens(body);
        Job job = new Job(model -> prompt, "prompt", max.isPresent() ? max : OptionalInt.of(16),
                RequestFields.sampling(body, 2f, responseFormat(body)), RequestFields.stops(body, "stop"),
                bool(body, "stream"), body.path("stream_options").path("include_usage").asBoolean(false));
        answer(ctx, job, "cmpl-", false);
    }

    private static OptionalInt maxTokens(JsonNode body) {
        OptionalInt m = positiveInt(body, "max_completion_tokens");
        return m.isPresent() ? m : positiveInt(body, "max_tokens");
    }

    /** The grammar response_format asks for, or null for free text. */
    static String responseFormat(JsonNode body) {
        JsonNode rf = body.get("response_format");
        if (rf == null || rf.isNull()) return null;
        String type = rf.path("type").asText("");
        return switch (type) {
            case "text" -> null;
            case "json_object" -> JsonGrammar.anyObject();
            case "json_schema" -> {
                JsonNode schema = rf.path("json_schema").get("schema");
                if (schema == null || schema.isNull()) {
                    throw ApiException.invalid("response_format.json_schema.schema", "response_format.json_schema needs a schema");
                }
                yield JsonGrammar.forSchema(schema, "response_format.json_schema.schema");
            }
            default -> throw ApiException.invalid("response_format.type",
                    "response_format.type must be text, json_object or json_schema, not '" + type + "'");
        };
    }

    private void answer(Context ctx, Job job, String idPrefix, boolean chat) {
        String id = idPrefix + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        String model = modelId.get();
        CancellationToken cancel = new CancellationToken();
        if (!job.stream()) {
            Answer a = generator.run(job, cancel, t -> {}, t -> {});
            ObjectNode out = head(id, chat ? "chat.completion" : "text_completion", created, model);
            ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
            if (chat) choice.putObject("message").put("role", "assistant").put("content", a.text());
            else choice.put("text", a.text());
            choice.putNull("logprobs");
            choice.put("finish_reason", a.finishReason());
            out.set("usage", usage(a));
            ApiServer.json(ctx, json, 200, out);
            return;
        }
        EventStream events = new EventStream(ctx, json, cancel);
        String object = chat ? "chat.completion.chunk" : "text_completion";
        Answer a;
        try {
            a = generator.run(job, cancel, t -> {
                if (chat) events.data(chunk(id, object, created, model, d -> d.put("role", "assistant").put("content", ""), null));
                else events.start();
            }, text -> events.data(chat
                    ? chunk(id, object, created, model, d -> d.put("content", text), null)
                    : textChunk(id, created, model, text, null)));
        } catch (ApiException e) {
            if (!events.started()) throw e;   // before the stream began: an ordinary error answer
            events.data(ApiServer.openAiError(json, e));
            events.raw("[DONE]");
            return;
        }
        events.data(chat ? chunk(id, object, created, model, d -> {}, a.finishReason())
                : textChunk(id, created, model, "", a.finishReason()));
        if (job.streamUsage()) {
            ObjectNode last = head(id, object, created, model);
            last.putArray("choices");
            last.set("usage", usage(a));
            events.data(last);
        }
        events.raw("[DONE]");
    }

    private ObjectNode head(String id, String object, long created, String model) {
        return json.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    private ObjectNode chunk(String id, String object, long created, String model,
                             java.util.function.Consumer<ObjectNode> delta, String finish) {
        ObjectNode c = head(id, object, created, model);
        ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
        delta.accept(choice.putObject("delta"));
        choice.putNull("logprobs");
        if (finish == null) choice.putNull("finish_reason"); else choice.put("finish_reason", finish);
        return c;
    }

    private ObjectNode textChunk(String id, long created, String model, String text, String finish) {
        ObjectNode c = head(id, "text_completion", created, model);
        ArrayNode choices = c.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0).put("text", text);
        choice.putNull("logprobs");
        if (finish == null) choice.putNull("finish_reason"); else choice.put("finish_reason", finish);
        return c;
    }

    private ObjectNode usage(Answer a) {
        ObjectNode u = json.createObjectNode().put("prompt_tokens", a.promptTokens())
                .put("completion_tokens", a.completionTokens()).put("total_tokens", a.promptTokens() + a.completionTokens());
        u.putObject("prompt_tokens_details").put("cached_tokens", a.cachedTokens());
        return u;
    }
}
