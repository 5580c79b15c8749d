package dev.canopy.app.api;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
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
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Anthropic Messages routes driven by the official Java SDK, behind an API key. */
class AnthropicApiTest {
    static final String KEY = "test-key-123";
    @TempDir static Path dir;
    static TestServer server;
    static AnthropicClient client;

    @BeforeAll
    static void start() throws Exception {
        Path model = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-llama.gguf"));
        server = new TestServer(model, 1024, TestServer.config(2, 8, KEY), Optional.empty());
        client = AnthropicOkHttpClient.builder().baseUrl(server.url()).apiKey(KEY).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static MessageCreateParams.Builder greedy(String user, long maxTokens) {
        return MessageCreateParams.builder().model("tiny").system("You are brief.").addUserMessage(user)
                .maxTokens(maxTokens).putAdditionalBodyProperty("temperature", com.anthropic.core.JsonValue.from(0));
    }

    @Test
    void greedyTextIsTheSameStreamedOrNot() {
        Message m = client.messages().create(greedy("Tell me about the sea.", 20).build());
        String text = m.content().getFirst().text().orElseThrow().text();
        assertThat(text).isNotEmpty();
        assertThat(m.usage().inputTokens() + m.usage().cacheReadInputTokens().orElse(0L)).isPositive();
        assertThat(m.usage().outputTokens()).isBetween(1L, 20L);

        StringBuilder streamed = new StringBuilder();
        List<String> types = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(greedy("Tell me about the sea.", 20).build())) {
            s.stream().forEach(e -> {
                e.messageStart().ifPresent(x -> types.add("message_start"));
                e.contentBlockStart().ifPresent(x -> types.add("content_block_start"));
                e.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> streamed.append(t.text()));
                e.contentBlockStop().ifPresent(x -> types.add("content_block_stop"));
                e.messageDelta().ifPresent(x -> types.add("message_delta"));
                e.messageStop().ifPresent(x -> types.add("message_stop"));
            });
        }
        assertThat(streamed.toString()).isEqualTo(text);
        assertThat(types).containsExactly("message_start", "content_block_start", "content_block_stop", "message_delta", "message_stop");
    }

    @Test
    void maxTokensIsTheStopReason() {
        Message m = client.messages().create(greedy("Count to one hundred.", 2).build());
        assertThat(m.stopReason().orElseThrow().asString()).isEqualTo("max_tokens");
        assertThat(m.usage().outputTokens()).isEqualTo(2);
    }

    @Test
    void countTokensCountsThePromptAsGenerationSeesIt() {
        long counted = client.messages().countTokens(MessageCountTokensParams.builder().model("tiny").system("You are brief.")
                .addUserMessage("How many tokens is this?").build()).inputTokens();
        Message m = client.messages().create(greedy("How many tokens is this?", 1).build());
        assertThat(counted).isEqualTo(m.usage().inputTokens() + m.usage().cacheReadInputTokens().orElse(0L));
    }

    @Test
    void withAKeyEveryRouteButHealthNeedsIt() throws Exception {
        AnthropicClient wrong = AnthropicOkHttpClient.builder().baseUrl(server.url()).apiKey("wrong").maxRetries(0).build();
        assertThatThrownBy(() -> wrong.messages().create(greedy("Hi", 2).build())).isInstanceOf(UnauthorizedException.class);
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/models"))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> anthropicShape = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anthropicShape.statusCode()).isEqualTo(401);
        assertThat(anthropicShape.body()).contains("\"type\":\"error\"").contains("authentication_error");
    }
}
