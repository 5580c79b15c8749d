package dev.canopy.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** POST /v1/embeddings driven by the official OpenAI Java SDK against a real server over a tiny random-weight llama (decision 0165). */
class EmbeddingsApiTest {
    @TempDir static Path dir;
    static TestServer server;
    static OpenAIClient client;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path model = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-llama.gguf"));
        server = new TestServer(model, 1024, TestServer.config(2, 16, null), Optional.empty());
        client = OpenAIOkHttpClient.builder().baseUrl(server.url() + "/v1").apiKey("unused").maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static double norm(List<Float> v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return Math.sqrt(s);
    }

    @Test
    void twoTextsGiveUnitVectorsOfTheModelsDimensionSameTextSameVector() {
        // the SDK asks for base64 unless told otherwise
        CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model("tiny")
                .inputOfArrayOfStrings(List.of("The river runs past the mill.", "A red house on the hill.", "The river runs past the mill."))
                .build());
        assertThat(r.data()).hasSize(3);
        assertThat(r.data()).extracting(e -> e.index()).containsExactly(0L, 1L, 2L);
        List<Float> a = r.data().get(0).embedding(), b = r.data().get(1).embedding(), again = r.data().get(2).embedding();
        assertThat(a).hasSize(64);                  // the tiny model's n_embd
        assertThat(b).hasSize(64);
        assertThat(norm(a)).isCloseTo(1.0, within(1e-5));
        assertThat(norm(b)).isCloseTo(1.0, within(1e-5));
        assertThat(again).isEqualTo(a);
        assertThat(b).isNotEqualTo(a);
        assertThat(r.usage().promptTokens()).isGreaterThan(6).isEqualTo(r.usage().totalTokens());
        assertThat(r.model()).isEqualTo("tiny");

        CreateEmbeddingResponse floats = client.embeddings().create(EmbeddingCreateParams.builder().model("tiny")
                .input("The river runs past the mill.").encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        List<Float> f = floats.data().getFirst().embedding();
        assertThat(f).hasSize(64);
        for (int i = 0; i < 64; i++) assertThat(f.get(i)).isCloseTo(a.get(i), within(1e-7f));
        assertThat(floats.usage().promptTokens()).isLessThan(r.usage().promptTokens());
    }

    @Test
    void badRequestsAreA400NamingTheField() throws Exception {
        assertThatThrownBy(() -> client.embeddings().create(EmbeddingCreateParams.builder().model("tiny").input("hi").dimensions(32).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("dimensions"))
                .hasMessageContaining("64 dimensions");
        assertThat(param(post(Map.of("model", "tiny", "input", List.of(1, 2, 3))))).isEqualTo("input");
        assertThat(param(post(Map.of("model", "tiny", "input", List.of(List.of(1, 2)))))).isEqualTo("input");
        assertThat(param(post(Map.of("model", "tiny", "input", List.of())))).isEqualTo("input");
        assertThat(param(post(Map.of("model", "tiny", "input", List.of("fine", ""))))).isEqualTo("input[1]");
        assertThat(param(post(Map.of("model", "tiny", "input", "hi", "encoding_format", "hex")))).isEqualTo("encoding_format");
    }

    @Test
    void anInputLongerThanTheContextIsA400NamingBothNumbers() throws Exception {
        HttpResponse<String> r = post(Map.of("model", "tiny", "input", List.of("short", "The old house sees the new river. ".repeat(200))));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("param").asText()).isEqualTo("input[1]");
        assertThat(error.get("message").asText()).containsPattern("input\\[1\\] has \\d{4} tokens").contains("embedding context is 1024 tokens");
    }

    @Test
    void embeddingsLeaveTheAnswerSlotsAlone() throws Exception {
        String alone = ask();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<String> answer = pool.submit(EmbeddingsApiTest::ask);
            Future<List<Float>> e1 = pool.submit(() -> client.embeddings().create(EmbeddingCreateParams.builder().model("tiny")
                    .input("The river runs past the mill.").build()).data().getFirst().embedding());
            Future<List<Float>> e2 = pool.submit(() -> client.embeddings().create(EmbeddingCreateParams.builder().model("tiny")
                    .input("The river runs past the mill.").build()).data().getFirst().embedding());
            assertThat(answer.get()).isEqualTo(alone);
            assertThat(e1.get()).hasSize(64).isEqualTo(e2.get());
        } finally {
            pool.shutdownNow();
        }
        assertThat(ask()).isEqualTo(alone);
        assertThat(server.server.activeClients()).isZero();
    }

    @Test
    void aModelThatCannotEmbedIsA400NamingTheModel() throws Exception {
        Path rank = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-rank.gguf"),
                (w, nVocab) -> w.putU32("llama.pooling_type", dev.canopy.natives.llama.Pooling.RANK.code()));
        try (TestServer reranker = new TestServer(rank, 512, TestServer.config(1, 4, null), Optional.empty())) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(reranker.url() + "/v1/embeddings"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"input\":\"hi\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(param(r)).isEqualTo("model");
            assertThat(r.body()).contains("cannot produce embeddings").contains("reranker");
        }
    }

    static String ask() {
        return client.chat().completions().create(com.openai.models.chat.completions.ChatCompletionCreateParams.builder()
                .model("tiny").addUserMessage("Tell me about rivers.").maxCompletionTokens(16).temperature(0.0).build())
                .choices().getFirst().message().content().orElseThrow();
    }

    static HttpResponse<String> post(Object body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/embeddings")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String param(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        return JSON.readTree(r.body()).at("/error/param").asText();
    }
}
