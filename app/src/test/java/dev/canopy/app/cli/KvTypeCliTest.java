package dev.canopy.app.cli;

import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --kv-type f16|q8_0|q4_0}: a quantized KV cache from the command line, its fallback and its errors. */
class KvTypeCliTest {
    @TempDir
    static Path dir;
    static Path heads32;   // heads of 32 values: a quantized KV fits
    static Path heads16;   // heads of 16 values: falls back to f16

    @BeforeAll
    static void writeModels() throws Exception {
        heads32 = TinyModels.write(TinyModelSpec.tiny("llama").withShape(128, 2, 4, 2, 256), dir.resolve("hd32.gguf"));
        heads16 = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("hd16.gguf"));
    }

    private static String[] generate(Path model, String... extra) {
        String[] base = {"generate", "--model", model.toString(), "--prompt", "Once upon a time, in a small village by the sea",
                "--max-tokens", "4", "--temperature", "0", "--context", "512", "--threads", "2"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return KvFlagsCliTest.run(all);
    }

    @Test
    void everyKvTypeGeneratesOnBothEnginesAndInTiers() {
        for (String type : new String[] {"f16", "q8_0", "q4_0"}) {
            String[] canopy = generate(heads32, "--kv-type", type);
            assertThat(canopy[0]).as(type + ": " + canopy[2]).isEqualTo("0");
            assertThat(canopy[1]).isNotBlank();
            assertThat(canopy[2]).doesNotContain("KV precision");
            String[] llama = generate(heads32, "--kv-type", type, "--engine", "llama");
            assertThat(llama[0]).as(type + " on llama.cpp: " + llama[2]).isEqualTo("0");
        }
        Path kvDir = dir.resolve("kv");
        String[] tiers = generate(heads32, "--kv-type", "q8_0", "--kv-dir", kvDir.toString(), "--kv-ram-mb", "64");
        assertThat(tiers[0]).as(tiers[2]).isEqualTo("0");
        assertThat(tiers[1]).isEqualTo(generate(heads32, "--kv-type", "q8_0")[1]);
        assertThat(Files.exists(kvDir.resolve("generate.kvmanifest"))).isTrue();
    }

    @Test
    void aModelWhoseHeadsABlockDoesNotFitRunsF16WithANote() {
        String[] r = generate(heads16, "--kv-type", "q4_0");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("note:").contains("KV precision q4_0 is off").contains("16-bit");
        assertThat(r[1]).isEqualTo(generate(heads16)[1]);
    }

    @Test
    void anUnknownKvTypeIsOneClearLine() {
        String[] r = generate(heads32, "--kv-type", "q5_1");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("unknown KV type 'q5_1'").contains("f16, q8_0 or q4_0").doesNotContain("\tat ");
    }
}
