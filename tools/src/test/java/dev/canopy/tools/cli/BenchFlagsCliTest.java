package dev.canopy.tools.cli;

import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code canopy bench} with the product's model flags: {@code --kv-type} (was app's KvTypeCliTest) and
 * {@code --speculative} (was app's SpeculativeCliTest); the same runs and assertions.
 */
class BenchFlagsCliTest {
    @TempDir
    static Path dir;
    static Path heads32;   // heads of 32 values: a quantized KV fits
    static Path model;

    @BeforeAll
    static void writeModels() throws Exception {
        heads32 = TinyModels.write(TinyModelSpec.tiny("llama").withShape(128, 2, 4, 2, 256), dir.resolve("hd32.gguf"));
        model = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny.gguf"));
    }

    @Test
    void benchRunsTheQuantizedKvNextToF16() {
        String[] r = ToolsCliTest.run("bench", "--model", heads32.toString(), "--prompt-tokens", "40", "--gen-tokens", "4",
                "--threads", "1", "--chunk", "32", "--repeats", "1", "--kv-type", "q8_0");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("canopy kv q8_0").contains("ratio kv q8_0").contains("canopy").contains("llama.cpp");
    }

    @Test
    void benchComparesPlainAndSpeculativeDecodeInOneRun() {
        String[] r = ToolsCliTest.run("bench", "--model", model.toString(), "--speculative", "lookup", "--prompt-tokens", "64",
                "--gen-tokens", "16", "--threads", "1", "--chunk", "32", "--context", "256", "--repeats", "1");
        assertThat(r[0]).as(r[2] + r[1]).isEqualTo("0");
        assertThat(r[1]).contains("quote").contains("plain tok/s").contains("ratio").contains("same tokens");
    }
}
