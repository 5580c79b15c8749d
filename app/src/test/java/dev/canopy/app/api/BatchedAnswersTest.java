package dev.canopy.app.api;

import dev.canopy.engine.BatchStats;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers running at the same time decode together (decision 0140): while one streamed answer is
 * running (its client reads nothing more), a second answer's tokens come from passes that decode
 * both, and it is what that prompt gives alone.
 */
class BatchedAnswersTest {
    @TempDir static Path dir;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static final String SECOND = """
            {"model":"tiny","temperature":0,"max_tokens":8,"messages":[{"role":"user","content":"Name a colour."}]}""";

    @Test
    void aSecondAnswerDecodesInTheSamePassesAsARunningOneAndEqualsItsAnswerAlone() throws Exception {
        Path model = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-llama.gguf"));
        try (TestServer s = new TestServer(model, 2048, TestServer.config(2, 4, null), Optional.empty())) {
            HttpResponse<String> alone = HTTP.send(ServerLimitsTest.request(s, SECOND), HttpResponse.BodyHandlers.ofString());
            assertThat(alone.statusCode()).isEqualTo(200);
            BatchStats before = s.server.batchStats();
            assertThat(before.decodePasses()).as("the answer ran on the pool").isPositive();
            assertThat(before.multiSequencePasses()).isZero();

            HttpResponse<InputStream> stream = HTTP.send(ServerLimitsTest.request(s, ServerLimitsTest.LONG_STREAM),
                    HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            for (int events = 0; events < 3; ) if (lines.readLine().startsWith("data:")) events++;
            HttpResponse<String> together = HTTP.send(ServerLimitsTest.request(s, SECOND), HttpResponse.BodyHandlers.ofString());
            assertThat(together.statusCode()).isEqualTo(200);
            assertThat(content(together.body())).as("the same answer as alone").isEqualTo(content(alone.body()));
            BatchStats after = s.server.batchStats();
            assertThat(after.multiSequencePasses()).as("passes that decoded both answers").isPositive();
            assertThat(after.mostSequences()).isEqualTo(2);
            stream.body().close();
            long closed = System.nanoTime();
            while (s.server.activeClients() > 0 && System.nanoTime() - closed < 5_000_000_000L) Thread.sleep(5);
            assertThat(s.server.activeClients()).as("the abandoned answer left the pool").isZero();
        }
    }

    private static String content(String body) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).at("/choices/0/message/content").asText();
    }
}
