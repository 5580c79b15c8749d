package dev.canopy.tools.cli;

import dev.canopy.natives.gguf.GgufFile;
import dev.canopy.natives.gguf.TinyModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.canopy.tools.cli.ToolsCliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code canopy random-model} writes a model the rest of the CLI loads; its 1b shape is a 1B model. */
class RandomModelCliTest {
    @TempDir Path dir;

    @Test
    void aWrittenModelLoadsWithTheShapeAsked() {
        Path out = dir.resolve("r.gguf");
        ToolsCliTest.Run w = cli("random-model", "--shape", "tiny", "--arch", "qwen3", "--type", "Q8_0", "--context", "8192", "--out", out.toString());
        assertThat(w.code()).as(w.err()).isZero();
        assertThat(w.out()).contains("wrote " + out).contains("qwen3, 2 layers, 64 wide");
        assertThat(Files.isRegularFile(out)).isTrue();
        ToolsCliTest.Run info = cli("info", "--model", out.toString());
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(info.out()).contains("architecture:   qwen3").contains("layers:         2").contains("8,192");
    }

    @Test
    void aKQuantModelComesFromLlamasQuantizerAndGenerates() throws Exception {
        Path out = dir.resolve("q4km.gguf");
        ToolsCliTest.Run w = cli("random-model", "--shape", "small", "--type", "Q4_K_M", "--out", out.toString());
        assertThat(w.code()).as(w.err()).isZero();
        assertThat(w.out()).contains("llama, 2 layers, 256 wide").contains("Q4_K_M (").containsPattern("q4_K \\d+").contains("f32 ");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("q4km.gguf"); // the F16 source is gone
        try (GgufFile g = GgufFile.open(out)) {
            assertThat(g.tensor("blk.1.attn_q.weight").orElseThrow().typeName()).isEqualTo("q4_K");
        }
        ToolsCliTest.Run gen = cli("generate", "--model", out.toString(), "--prompt", "Once upon a time", "--max-tokens", "3");
        assertThat(gen.code()).as(gen.err()).isZero();
        assertThat(gen.out()).isNotBlank();
        ToolsCliTest.Run bad = cli("random-model", "--shape", "tiny", "--type", "Q3_K_L", "--out", dir.resolve("b.gguf").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("canopy: --type must be one of F32, F16, Q8_0, Q6_K, Q5_K_M, Q4_K_M, Q4_0; got Q3_K_L");
    }

    @Test
    void theOneBillionShapeHasAboutOneBillionWeights() {
        TinyModelSpec s = TinyModelSpec.oneBillion("llama");
        long e = s.embedding(), kv = (long) s.kvHeads() * s.headDim(), ff = s.feedForward(), vocab = 32000;
        long perLayer = 2 * e * e + 2 * e * kv + 3 * e * ff;
        long weights = s.layers() * perLayer + 2 * e * vocab;
        assertThat(s.headDim()).isEqualTo(64);
        assertThat(weights).isBetween(1_000_000_000L, 1_200_000_000L);
    }

    @Test
    void badShapesAndFoldersAreClearErrors() {
        ToolsCliTest.Run shape = cli("random-model", "--shape", "7b", "--out", dir.resolve("x.gguf").toString());
        assertThat(shape.code()).isEqualTo(2);
        assertThat(shape.err()).contains("--shape must be 1b, small or tiny").doesNotContain("\tat ");
        ToolsCliTest.Run folder = cli("random-model", "--shape", "tiny", "--out", dir.toString());
        assertThat(folder.err()).contains("is a folder");
        ToolsCliTest.Run missing = cli("random-model", "--shape", "tiny", "--out", dir.resolve("no/such/x.gguf").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("canopy: no folder " + dir.resolve("no/such").toAbsolutePath() + " to write x.gguf in");
    }
}
