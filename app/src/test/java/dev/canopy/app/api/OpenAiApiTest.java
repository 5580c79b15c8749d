package dev.canopy.app.api;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OpenAI routes driven by the official Java SDK against a real server over a tiny random-weight llama. */
class OpenAiApiTest {
    @TempDir static Path dir;
    static Path model;
    static TestServer server;
    static OpenAIClient client;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-llama.gguf"));
        server = new TestServer(model, 1024, TestServer.config(4, 256, null), Optional.empty());
        client = OpenAIOkHttpClient.builder().baseUrl(server.url() + "/v1").apiKey("unused").maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ChatCompletionCreateParams.Builder greedy(String user, int maxTokens) {
        return ChatCompletionCreateParams.builder().model("tiny").addUserMessage(user)
                .maxCompletionTokens(maxTokens).temperature(0.0);
    }

    static String ask(String user, int maxTokens) {
        return client.chat().completions().create(greedy(user, maxTokens).build()).choices().getFirst().message().content().orElseThrow();
    }

    @Test
    void greedyTextIsTheSameStreamedOrNotAndCarriesUsage() {
        ChatCompletion whole = client.chat().completions().create(greedy("Tell me about rivers.", 24).build());
        String text = whole.choices().getFirst().message().content().orElseThrow();
        assertThat(text).isNotEmpty();
        assertThat(whole.choices().getFirst().finishReason().asString()).isIn("stop", "length");
        assertThat(whole.usage().orElseThrow().promptTokens()).isPositive();
        assertThat(whole.usage().orElseThrow().completionTokens()).isBetween(1L, 24L);

        StringBuilder streamed = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(greedy("Tell me about rivers.", 24)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(c -> {
                chunks.add(c);
                c.choices().forEach(ch -> ch.delta().content().ifPresent(streamed::append));
            });
        }
        assertThat(streamed.toString()).isEqualTo(text);
        assertThat(chunks.getLast().usage()).as("include_usage: a last chunk with usage").isPresent();
        assertThat(chunks.getLast().usage().get().completionTokens()).isEqualTo(whole.usage().get().completionTokens());
        assertThat(chunks.getLast().usage().get().promptTokensDetails().orElseThrow().cachedTokens().orElseThrow())
                .as("the same prompt again: its KV is reused").isGreaterThan(0L);
    }

    @Test
    void maxTokensEndsWithFinishReasonLength() {
        ChatCompletion c = client.chat().completions().create(greedy("Count to one hundred.", 3).build());
        assertThat(c.choices().getFirst().finishReason().asString()).isEqualTo("length");
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(3);
    }

    @Test
    void aStopStringCutsTheAnswerBeforeIt() {
        String full = ask("Write a story.", 40);
        assertThat(full.length()).isGreaterThan(12);
        String stop = full.substring(8, 11);
        String cut = client.chat().completions().create(greedy("Write a story.", 40).stop(stop).build())
                .choices().getFirst().message().content().orElseThrow();
        assertThat(cut).isEqualTo(full.substring(0, full.indexOf(stop)));
    }

    @Test
    void aRawCompletionUsesNoTemplate() {
        Completion c = client.completions().create(CompletionCreateParams.builder().model("tiny")
                .prompt("Once upon a time").maxTokens(5).temperature(0.0).build());
        assertThat(c.choices().getFirst().text()).isNotEmpty();
        assertThat(c.choices().getFirst().finishReason().asString()).isEqualTo("length");
        assertThat(c.usage().orElseThrow().promptTokens()).as("BOS and the prompt's own tokens, no chat template").isLessThan(10);
    }

    @Test
    void jsonSchemaOutputParsesAndMatchesTheSchema() throws Exception {
        ResponseFormatJsonSchema.JsonSchema.Schema schema = ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                        "color", Map.of("type", "string", "enum", List.of("red", "green", "blue")),
                        "ok", Map.of("type", "boolean"),
                        "count", Map.of("type", "integer"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("color", "ok", "count")))
                .build();
        ChatCompletion c = client.chat().completions().create(greedy("Describe the sky as JSON.", 60)
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name("sky").schema(schema).build()).build()).build());
        String text = c.choices().getFirst().message().content().orElseThrow();
        JsonNode json = JSON.readTree(text);
        assertThat(json.get("color").asText()).isIn("red", "green", "blue");
        assertThat(json.get("ok").isBoolean()).as(text).isTrue();
        assertThat(json.get("count").isIntegralNumber()).as(text).isTrue();
        assertThat(c.choices().getFirst().finishReason().asString()).isEqualTo("stop");
    }

    @Test
    void unsupportedFieldsAreA400NamingTheField() throws Exception {
        assertThatThrownBy(() -> client.chat().completions().create(greedy("Hi", 4).n(2).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("n other than 1");
        HttpResponse<String> image = post("/v1/chat/completions", """
                {"model":"tiny","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:x"}}]}]}""");
        assertThat(image.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(image.body()).at("/error/param").asText()).isEqualTo("messages[0].content[0]");
        HttpResponse<String> schema = post("/v1/chat/completions", """
                {"model":"tiny","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema",
                 "json_schema":{"name":"a","schema":{"$ref":"#/defs/x"}}}}""");
        assertThat(schema.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(schema.body()).at("/error/param").asText()).isEqualTo("response_format.json_schema.schema.$ref");
        HttpResponse<String> notJson = post("/v1/chat/completions", "{not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).at("/error/param").asText()).isEqualTo("body");
        HttpResponse<String> unknown = post("/v1/chat/completions", """
                {"model":"tiny","messages":[{"role":"user","content":"Hi"}],"max_tokens":2,"temperature":0,"some_new_field":{"x":1}}""");
        assertThat(unknown.statusCode()).as("unknown fields are ignored").isEqualTo(200);
    }

    @Test
    void aPromptLongerThanTheContextIsA400NamingBothNumbers() throws Exception {
        String longText = "The old house sees the new river. ".repeat(200);
        HttpResponse<String> r = post("/v1/chat/completions",
                JSON.writeValueAsString(Map.of("model", "tiny", "messages", List.of(Map.of("role", "user", "content", longText)))));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).at("/error/message").asText()).containsPattern("prompt has \\d+ tokens")
                .contains("context window is 1024 tokens");
    }

    @Test
    void modelsAndHealth() throws Exception {
        assertThat(client.models().list().data()).extracting(m -> m.id()).containsExactly("tiny");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void eightConcurrentGreedyAnswersEachEqualTheirAnswerAlone() throws Exception {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 8; i++) prompts.add("Question number " + i + ": what is " + (i * 7) + " plus " + i + "?");
        List<String> alone = new ArrayList<>();
        for (String p : prompts) alone.add(ask(p, 12));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> together = new ArrayList<>();
            for (String p : prompts) together.add(pool.submit(() -> ask(p, 12)));
            for (int i = 0; i < 8; i++) assertThat(together.get(i).get()).as("prompt " + i).isEqualTo(alone.get(i));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoHundredRequestsFromEightClientsNoneLostNoneMixedUp() throws Exception {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 8; i++) prompts.add("Client " + i + " asks about the " + List.of("sea", "sky", "hills", "town",
                "rain", "sun", "road", "tree").get(i) + ".");
        List<String> expected = new ArrayList<>();
        for (String p : prompts) expected.add(ask(p, 4));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int r = 0; r < 200; r++) {
                int i = r % 8;
                results.add(pool.submit(() -> ask(prompts.get(i), 4).equals(expected.get(i))));
            }
            long same = 0;
            for (Future<Boolean> f : results) if (f.get()) same++;
            assertThat(same).as("every answer arrived and is its own prompt's").isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.server.activeClients()).isZero();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
