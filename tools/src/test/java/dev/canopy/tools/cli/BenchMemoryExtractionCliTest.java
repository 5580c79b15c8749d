package dev.canopy.tools.cli;

import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code canopy bench-memory --extract-model}: parallel and sequential construction rows and their ratio. */
class BenchMemoryExtractionCliTest {
    @TempDir Path dir;

    static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = ToolsCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void printsBothModesAndTheirRatio() throws Exception {
        Path model = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-llama.gguf"));
        String[] r = run("bench-memory", "--extract-model", model.toString(), "--cells", "3", "--parallel", "2",
                "--rounds", "1", "--max-tokens", "8", "--threads", "1", "--context", "1024");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).containsPattern("(?m)^parallel x2 +[0-9.]+ cells/s \\(3 cells in")
                .containsPattern("(?m)^sequential +[0-9.]+ cells/s \\(3 cells in")
                .containsPattern("(?m)^ratio parallel/sequential: [0-9.]+x$")
                .contains("round 1 parallel x2").contains("round 1 sequential");
    }

    @Test
    void aParallelOfOneIsOneClearLine() throws Exception {
        String[] r = run("bench-memory", "--extract-model", dir.resolve("absent.gguf").toString(), "--parallel", "1");
        assertThat(r[0]).isNotEqualTo("0");
        assertThat(r[2]).contains("--parallel must be >= 2").doesNotContain("\tat ");
    }
}
