package dev.canopy.app.cli;

import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code canopy generate --kv-gpu-mb/--kv-ram-mb/--kv-dir}: KV in tiers, saved and reused across runs. */
class KvFlagsCliTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-llama.gguf"));
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = CanopyCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private static String[] generate(int maxTokens, String... kv) {
        String[] base = {"generate", "--model", model.toString(), "--prompt", "Once upon a time, in a small village by the sea",
                "--max-tokens", Integer.toString(maxTokens), "--temperature", "0", "--context", "512", "--threads", "2", "--stats"};
        String[] all = new String[base.length + kv.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(kv, 0, all, base.length, kv.length);
        return run(all);
    }

    @Test
    void aSecondRunReusesTheSavedKvWithZeroPrefillAndTheSameText() {
        Path kvDir = dir.resolve("kv");
        String[] plain = generate(8);
        String[] first = generate(1, "--kv-dir", kvDir.toString(), "--kv-ram-mb", "64");
        assertThat(first[0]).as(first[2]).isEqualTo("0");
        assertThat(Files.exists(kvDir.resolve("generate.kvmanifest"))).isTrue();
        String[] second = generate(8, "--kv-dir", kvDir.toString(), "--kv-ram-mb", "64");
        assertThat(second[0]).as(second[2]).isEqualTo("0");
        assertThat(second[2]).contains("(0 computed)");
        assertThat(second[1]).as(second[2]).isEqualTo(plain[1]);
    }

    @Test
    void aRamBudgetTooSmallIsOneClearLine() {
        String[] r = generate(4, "--kv-ram-mb", "0");
        assertThat(r[0]).isNotEqualTo("0");
        assertThat(r[2]).contains("--kv-ram-mb").doesNotContain("\tat ");
    }
}
