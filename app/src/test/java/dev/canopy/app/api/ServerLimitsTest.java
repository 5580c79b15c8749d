package dev.canopy.app.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One slot and no queue: a second request is a 503 with Retry-After; a client that goes away frees its slot. */
class ServerLimitsTest {
    @TempDir static Path dir;
    static Path model;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-llama.gguf"));
    }

    /** A streamed answer long enough (the whole context) to still run while the test looks. */
    static final String LONG_STREAM = """
            {"model":"tiny","stream":true,"temperature":0,"max_tokens":100000,
             "messages":[{"role":"user","content":"Write forever."}]}""";
    static final String SHORT = """
            {"model":"tiny","temperature":0,"max_tokens":2,"messages":[{"role":"user","content":"Hi"}]}""";

    @Test
    void aFullQueueIsA503WithRetryAfterAndADisconnectFreesTheSlotAtOnce() throws Exception {
        try (TestServer s = new TestServer(model, 16384, TestServer.config(1, 0, null), Optional.empty())) {
            HttpResponse<InputStream> stream = HTTP.send(request(s, LONG_STREAM), HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            for (int events = 0; events < 3; ) if (lines.readLine().startsWith("data:")) events++;
            assertThat(s.server.activeClients()).isEqualTo(1);

            HttpResponse<String> busy = HTTP.send(request(s, SHORT), HttpResponse.BodyHandlers.ofString());
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Retry-After")).isPresent();
            assertThat(new ObjectMapper().readTree(busy.body()).at("/error/message").asText()).contains("busy");

            long closed = System.nanoTime();
            stream.body().close();   // the client goes away mid-answer
            while (s.server.activeClients() > 0 && System.nanoTime() - closed < 5_000_000_000L) Thread.sleep(5);
            assertThat(s.server.activeClients()).as("the slot is free soon after the client left").isZero();
            HttpResponse<String> next = HTTP.send(request(s, SHORT), HttpResponse.BodyHandlers.ofString());
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            assertThat((System.nanoTime() - closed) / 1e9).as("seconds from the disconnect to the next answer, where the"
                    + " abandoned one would have run to a 16384-token context (a bound for a loaded 2-core machine)").isLessThan(10);
        }
    }

    @Test
    void aBodyOverTheLimitIs413InTheErrorShape() throws Exception {
        ApiConfig small = new ApiConfig("127.0.0.1", 0, Optional.empty(), 1, 0, List.of(), false, 1024);
        try (TestServer s = new TestServer(model, 512, small, Optional.empty())) {
            String big = "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(4000) + "\"}]}";
            HttpResponse<String> r = HTTP.send(request(s, big), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.body()).contains("\"error\"").contains("larger than");
        }
    }

    @Test
    void aHostOtherThanLoopbackNeedsAKey() {
        assertThatThrownBy(() -> new ApiConfig("0.0.0.0", 0, Optional.empty(), 1, 0, List.of(), false, 1024))
                .hasMessageContaining("--api-key");
        assertThat(new ApiConfig("0.0.0.0", 0, Optional.of("k"), 1, 0, List.of(), false, 1024).host()).isEqualTo("0.0.0.0");
        assertThat(new ApiConfig("localhost", 0, Optional.empty(), 1, 0, List.of(), false, 1024).apiKey()).isEmpty();
    }

    @Test
    void corsIsOffUnlessOriginsAreListed() throws Exception {
        try (TestServer off = new TestServer(model, 512, TestServer.config(1, 0, null), Optional.empty())) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(off.url() + "/v1/models"))
                    .header("Origin", "http://example.com").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
        ApiConfig on = new ApiConfig("127.0.0.1", 0, Optional.empty(), 1, 0, List.of("http://localhost:3000"), false, 1024);
        try (TestServer s = new TestServer(model, 512, on, Optional.empty())) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + "/v1/models"))
                    .header("Origin", "http://localhost:3000").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:3000");
        }
    }

    static HttpRequest request(TestServer s, String body) {
        return HttpRequest.newBuilder(URI.create(s.url() + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
