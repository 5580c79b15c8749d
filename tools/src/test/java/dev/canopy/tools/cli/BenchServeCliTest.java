package dev.canopy.tools.cli;

import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code canopy bench-serve} runs end to end on a tiny model and prints its ratios (the figures themselves are not asserted). */
class BenchServeCliTest {
    @TempDir Path dir;

    @Test
    void printsThroughputByClientsAndFirstTokenColdVsCached() throws Exception {
        Path model = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-llama.gguf"));
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = ToolsCli.run(new PrintWriter(out), new PrintWriter(err), "bench-serve", "--model", model.toString(),
                "--clients", "1,2", "--requests", "4", "--max-tokens", "4", "--prefix-tokens", "600", "--context", "1024",
                "--threads", "1");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("requests/s").containsPattern("\\n\\s+1 .*1\\.00x").containsPattern("\\n\\s+2 .*x\\n")
                .contains("cold").contains("cached in RAM").contains("on disk, restart");
        assertThat(out.toString()).as("the cached cases report the prefix as cached").containsPattern("cached in RAM\\s+\\d+\\s+[1-9]\\d{2,}");
    }
}
