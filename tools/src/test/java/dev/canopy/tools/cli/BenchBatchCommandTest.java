package dev.canopy.tools.cli;

import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code canopy bench-batch} on a tiny random-weight model: both ways in one run, their ratio, and the same tokens. */
class BenchBatchCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-llama.gguf"));
    }

    private static ToolsCliTest.Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = ToolsCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new ToolsCliTest.Run(code, out.toString(), err.toString());
    }

    @Test
    void printsBothWaysTheirRatioAndThatTheTokensAgree() {
        ToolsCliTest.Run r = cli("bench-batch", "--model", model.toString(), "--prompts", "3", "--prompt-tokens", "20,40",
                "--gen-tokens", "4", "--threads", "1", "--chunk", "32", "--repeats", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).matches("one-by-one\\s+[0-9.]+\\s+[0-9.]+\\s+1\\.00x\\s+[0-9.]+\\s+1\\.00x"));
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).matches("batch\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+x\\s+[0-9.]+\\s+[0-9.]+x")); // wall, then thread CPU time
        assertThat(r.out()).contains("3 prompts").contains("identical both ways");
    }

    @Test
    void badInputIsOneClearLine() {
        ToolsCliTest.Run missing = cli("bench-batch", "--model", dir.resolve("none.gguf").toString());
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("no model file at").doesNotContain("Exception");
        ToolsCliTest.Run zero = cli("bench-batch", "--model", model.toString(), "--prompts", "0");
        assertThat(zero.code()).isNotZero();
        assertThat(zero.err()).contains("--prompts must be at least 1");
    }
}
