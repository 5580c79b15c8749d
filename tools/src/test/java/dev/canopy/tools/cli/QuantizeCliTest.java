package dev.canopy.tools.cli;

import dev.canopy.natives.gguf.GgufFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.canopy.tools.cli.ToolsCliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code canopy quantize} rewrites an existing model in a quantized type that the CLI then runs. */
class QuantizeCliTest {
    @TempDir Path dir;

    @Test
    void anF16ModelBecomesQ8ZeroAndStillGenerates() throws Exception {
        Path f16 = dir.resolve("f16.gguf"), q8 = dir.resolve("q8.gguf");
        ToolsCliTest.Run w = cli("random-model", "--shape", "small", "--type", "F16", "--out", f16.toString());
        assertThat(w.code()).as(w.err()).isZero();
        ToolsCliTest.Run q = cli("quantize", "--model", f16.toString(), "--out", q8.toString(), "--type", "q8_0");
        assertThat(q.code()).as(q.err()).isZero();
        assertThat(q.out()).contains("wrote " + q8 + ": Q8_0");
        try (GgufFile g = GgufFile.open(q8)) {
            assertThat(g.tensor("blk.1.attn_q.weight").orElseThrow().typeName()).isEqualTo("q8_0");
        }
        assertThat(Files.size(q8)).isLessThan(Files.size(f16));
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("f16.gguf", "q8.gguf");
        ToolsCliTest.Run gen = cli("generate", "--model", q8.toString(), "--prompt", "Once upon a time", "--max-tokens", "3");
        assertThat(gen.code()).as(gen.err()).isZero();
    }

    @Test
    void badInputsAreClearErrorsAndWriteNothing() throws Exception {
        ToolsCliTest.Run missing = cli("quantize", "--model", dir.resolve("none.gguf").toString(), "--out", dir.resolve("o.gguf").toString(), "--type", "Q8_0");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("canopy: no model file " + dir.resolve("none.gguf"));
        Path junk = Files.writeString(dir.resolve("junk.gguf"), "not a model");
        ToolsCliTest.Run corrupt = cli("quantize", "--model", junk.toString(), "--out", dir.resolve("o.gguf").toString(), "--type", "Q8_0");
        assertThat(corrupt.code()).isEqualTo(2);
        assertThat(corrupt.err()).contains("could not quantize junk.gguf").doesNotContain("\tat ");
        ToolsCliTest.Run type = cli("quantize", "--model", junk.toString(), "--out", dir.resolve("o.gguf").toString(), "--type", "Q3_K_L");
        assertThat(type.err().strip()).isEqualTo("canopy: --type must be one of F16, Q8_0, Q6_K, Q5_K_M, Q4_K_M, Q4_0; got Q3_K_L");
        ToolsCliTest.Run same = cli("quantize", "--model", junk.toString(), "--out", junk.toString(), "--type", "Q8_0");
        assertThat(same.err()).contains("--out must differ from --model");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("junk.gguf");
    }
}
