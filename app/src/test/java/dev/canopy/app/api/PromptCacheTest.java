package dev.canopy.app.api;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import dev.canopy.app.chat.KvTiers;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prompt cache: a request sharing a ~4K-token prefix with an earlier one prefills only its own
 * tokens, and with KV tiers in a folder the same holds after the server restarts.
 */
class PromptCacheTest {
    @TempDir static Path dir;
    static Path model;
    static final String DOCUMENT = "The old house sees the new river. The big garden finds the small window. ".repeat(260);

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-llama.gguf"));
    }

    static CompletionUsage ask(TestServer s, String question) {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(s.url() + "/v1").apiKey("x").maxRetries(0).build();
        Completion c = client.completions().create(CompletionCreateParams.builder().model("tiny")
                .prompt(DOCUMENT + question).maxTokens(2).temperature(0.0).build());
        return c.usage().orElseThrow();
    }

    static long cached(CompletionUsage u) {
        return u.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow();
    }

    @Test
    void aSharedPrefixIsNotPrefilledAgainInMemoryNorAfterARestartWithTheKvFolder() {
        Optional<KvTiers> tiers = Optional.of(new KvTiers(dir.resolve("kv"), 0, 256, 1024));
        try (TestServer s = new TestServer(model, 6144, TestServer.config(1, 4, null), tiers)) {
            CompletionUsage cold = ask(s, " What does the house see?");
            assertThat(cold.promptTokens()).isGreaterThan(4000);
            assertThat(cached(cold)).isZero();
            CompletionUsage warm = ask(s, " What does the garden find?");
            assertThat(cached(warm)).as("the document's KV is reused").isGreaterThanOrEqualTo(4000);
            assertThat(warm.promptTokens() - cached(warm)).as("tokens prefilled").isLessThan(100);
        }
        try (TestServer s = new TestServer(model, 6144, TestServer.config(1, 4, null), tiers)) {
            CompletionUsage afterRestart = ask(s, " Which river is new?");
            assertThat(cached(afterRestart)).as("the KV saved in the folder is reused after a restart").isGreaterThanOrEqualTo(4000);
            assertThat(afterRestart.promptTokens() - cached(afterRestart)).as("tokens prefilled").isLessThan(100);
        }
    }
}
