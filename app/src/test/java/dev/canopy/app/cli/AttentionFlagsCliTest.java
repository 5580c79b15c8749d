package dev.canopy.app.cli;

import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code canopy generate --attention MODE --budget N --decode-budget N --sink N --window N}. */
class AttentionFlagsCliTest {
    @TempDir
    static Path dir;
    static Path model;
    private static final String PROMPT = "The lighthouse keeper wrote every evening. ".repeat(40);

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-llama.gguf"));
    }

    private static String[] generate(String... extra) {
        String[] base = {"generate", "--model", model.toString(), "--prompt", PROMPT, "--max-tokens", "12",
                "--temperature", "0", "--context", "1024", "--chunk", "32", "--threads", "2"};
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return KvFlagsCliTest.run(all);
    }

    @Test
    void aBudgetCoveringThePromptAnswersExactlyLikeDense() {
        String[] dense = generate();
        String[] dhsa = generate("--attention", "dhsa", "--sink", "16", "--window", "16", "--budget", "900", "--decode-budget", "900");
        assertThat(dense[0]).as(dense[2]).isEqualTo("0");
        assertThat(dhsa[0]).as(dhsa[2]).isEqualTo("0");
        assertThat(dense[1].strip()).isNotEmpty();
        assertThat(dhsa[1]).isEqualTo(dense[1]);
    }

    @Test
    void everySparseModeRunsWithASmallBudget() {
        for (String mode : new String[] {"dhsa", "window", "topk"}) {
            String[] r = generate("--attention", mode, "--sink", "16", "--window", "16", "--budget", "128", "--decode-budget", "64");
            assertThat(r[0]).as(mode + ": " + r[2]).isEqualTo("0");
            assertThat(r[1].strip()).as(mode).isNotEmpty();
        }
    }

    @Test
    void dhsaRunsOverKvTiers() {
        String[] tiers = generate("--attention", "dhsa", "--sink", "16", "--window", "16", "--budget", "128", "--kv-ram-mb", "64");
        assertThat(tiers[0]).as(tiers[2]).isEqualTo("0");
        assertThat(tiers[1].strip()).isNotEmpty();
    }

    @Test
    void wrongCombinationsAreRefusedWithAClearMessage() {
        String[] unknown = generate("--attention", "fast");
        assertThat(unknown[0]).isNotEqualTo("0");
        assertThat(unknown[2]).contains("unknown attention mode 'fast' (expected dense, dhsa, window or topk)");

        String[] llama = generate("--attention", "dhsa", "--engine", "llama");
        assertThat(llama[0]).isNotEqualTo("0");
        assertThat(llama[2]).contains("needs --engine canopy").doesNotContain("Exception");

        String[] chunk = generate("--attention", "dhsa", "--budget", "280");   // sink 128 + window 128 + chunk 32
        assertThat(chunk[0]).isNotEqualTo("0");
        assertThat(chunk[2]).contains("cannot hold the 288 forced keys").doesNotContain("Exception");
    }
}
