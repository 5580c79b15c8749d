package dev.canopy.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** Anthropic's Messages routes: /v1/messages (streaming message_start ... message_stop) and /v1/messages/count_tokens. */
final class AnthropicApi {
    private final ObjectMapper json;
    private final java.util.function.Function<Context, JsonNode> reader;
    private final Generator generator;
    private final Supplier<String> modelId;

    AnthropicApi(ObjectMapper json, java.util.function.Function<Context, JsonNode> reader, Generator generator, Supplier<String> modelId) {
        this.json = json;
        this.reader = reader;
        this.generator = generator;
        this.modelId = modelId;
    }

    void countTokens(Context ctx) {
        Job job = job(RequestFields.object(reader.apply(ctx)), false);
        ApiServer.json(ctx, json, 200, json.createObjectNode().put("input_tokens", generator.countTokens(job)));
    }

    void messages(Context ctx) {
        Job job = job(RequestFields.object(reader.apply(ctx)), true);
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        String model = modelId.get();
        CancellationToken cancel = new CancellationToken();
        if (!job.stream()) {
            Answer a = generator.run(job, cancel, t -> {}, t -> {});
            ObjectNode out = message(id, model);
            out.putArray("content").addObject().put("type", "text").put("text", a.text());
            out.put("stop_reason", a.anthropicStopReason()).putNull("stop_sequence");
            out.set("usage", usage(a.promptTokens() - a.cachedTokens(), a.cachedTokens(), a.completionTokens()));
            ApiServer.json(ctx, json, 200, out);
            return;
        }
        EventStream events = new EventStream(ctx, json, cancel);
        Answer a;
        try {
            a = generator.run(job, cancel, promptTokens -> {
                ObjectNode m = message(id, model);
                m.putArray("content");
                m.putNull("stop_reason").putNull("stop_sequence");
                m.set("usage", usage(promptTokens, 0, 0));
                events.event("message_start", json.createObjectNode().put("type", "message_start").set("message", m));
                ObjectNode block = json.createObjectNode().put("type", "content_block_start").put("index", 0);
                block.putObject("content_block").put("type", "text").put("text", "");
                events.event("content_block_start", block);
            }, text -> {
                ObjectNode delta = json.createObjectNode().put("type", "content_block_delta").put("index", 0);
                delta.putObject("delta").put("type", "text_delta").put("text", text);
                events.event("content_block_delta", delta);
            });
        } catch (ApiException e) {
            if (!events.started()) throw e;   // before the stream began: an ordinary error answer
            events.event("error", ApiServer.anthropicError(json, e));
            return;
        }
        events.event("content_block_stop", json.createObjectNode().put("type", "content_block_stop").put("index", 0));
        ObjectNode end = json.createObjectNode().put("type", "message_delta");
        end.putObject("delta").put("stop_reason", a.anthropicStopReason()).putNull("stop_sequence");
        end.set("usage", usage(a.promptTokens() - a.cachedTokens(), a.cachedTokens(), a.completionTokens()));
        events.event("message_delta", end);
        events.event("message_stop", json.createObjectNode().put("type", "message_stop"));
    }

    private Job job(JsonNode body, boolean needsMaxTokens) {
        unsupportedIfSet(body, "tools", "tools");
        JsonNode thinking = body.get("thinking");
        if (thinking != null && thinking.path("type").asText("").equals("enabled")) throw ApiException.unsupported("thinking", "extended thinking");
        List<ChatMessage> chat = new ArrayList<>();
        JsonNode system = body.get("system");
        if (system != null && !system.isNull()) chat.add(ChatMessage.system(RequestFields.text(system, "system")));
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages", "messages must be a non-empty list");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String where = "messages[" + i + "]";
            String role = m.path("role").asText("");
            if (!role.equals("user") && !role.equals("assistant")) {
                throw ApiException.invalid(where + ".role", where + ".role must be user or assistant, not '" + role + "'");
            }
            chat.add(RequestFields.message(role, RequestFields.text(m.get("content"), where + ".content"), where + ".role"));
        }
        // a final assistant message is a prefill the answer continues
        boolean continues = chat.getLast().role().equals("assistant");
        String prefill = continues ? chat.getLast().content() : "";
        List<ChatMessage> turns = continues ? chat.subList(0, chat.size() - 1) : chat;
        OptionalInt max = positiveInt(body, "max_tokens");
        if (needsMaxTokens && max.isEmpty()) throw ApiException.invalid("max_tokens", "max_tokens is required");
        return new Job(model -> model.formatChat(turns, true) + prefill, "messages", max,
                RequestFields.sampling(body, 1f, null), RequestFields.stops(body, "stop_sequences"), bool(body, "stream"), false);
    }

    private ObjectNode message(String id, String model) {
        return json.createObjectNode().put("id", id).put("type", "message").put("role", "assistant").put("model", model);
    }

    private ObjectNode usage(int input, int cached, int output) {
        return json.createObjectNode().put("input_tokens", input).put("output_tokens", output)
                .put("cache_read_input_tokens", cached).put("cache_creation_input_tokens", 0);
    }
}
