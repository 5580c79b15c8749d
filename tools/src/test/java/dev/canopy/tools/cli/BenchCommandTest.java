package dev.canopy.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code canopy bench} on a tiny random-weight model: both engines measured in one run, with their ratio. */
class BenchCommandTest {
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

    private static final String[] SMALL = {"--prompt-tokens", "40,70", "--gen-tokens", "4", "--threads", "1",
            "--chunk", "32", "--repeats", "1"};

    private static String[] args(String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("bench", "--model", model.toString()));
        a.addAll(Arrays.asList(SMALL));
        a.addAll(Arrays.asList(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void tableHasBothEnginesAndTheirRatioForEachPromptLength() {
        ToolsCliTest.Run r = cli(args());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s*40\\s+canopy\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s*70\\s+canopy\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+"));
        assertThat(lines.stream().filter(l -> l.matches("\\s+llama\\.cpp\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+"))).as("with llama.cpp's compute buffer").hasSize(2);
        assertThat(lines.stream().filter(l -> l.matches("\\s+ratio\\s+[0-9.]+x\\s+[0-9.]+x"))).hasSize(2);
        assertThat(lines.stream().filter(l -> l.matches("\\s+ratio cpu-time\\s+[0-9.]+x\\s+[0-9.]+x"))).hasSize(2);
    }

    @Test
    void attentionAddsCanopysSparseRowsWithSpeedAndMemoryRatios() throws Exception {
        ToolsCliTest.Run r = cli(args("--attention", "dhsa", "--sink", "8", "--window", "8", "--budget", "56",
                "--decode-budget", "24"));
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.stream().filter(l -> l.matches("\\s+canopy dhsa\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+"))).hasSize(2);
        assertThat(lines.stream().filter(l -> l.matches("\\s+ratio dhsa\\s+[0-9.]+x\\s+[0-9.]+x\\s+[0-9.]+x"))).hasSize(2);

        JsonNode root = new ObjectMapper().readTree(cli(args("--json", "--attention", "window", "--sink", "8", "--window", "8",
                "--budget", "56", "--decode-budget", "24")).out());
        for (JsonNode n : root.get("results")) {
            assertThat(n.get("attention").asText()).isEqualTo("window");
            assertThat(n.get("sparse_prefill_tps").asDouble()).isPositive();
            assertThat(n.get("sparse_compute_bytes").asLong()).isPositive();
            assertThat(n.get("llama_compute_bytes").asLong()).as("parsed from llama.cpp's log").isPositive();
        }
    }

    @Test
    void aBudgetThatCannotHoldTheForcedKeysIsRefusedClearly() {
        ToolsCliTest.Run r = cli(args("--attention", "dhsa", "--sink", "128", "--window", "128", "--budget", "200"));
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("budget 200 must exceed sink + window = 256").doesNotContain("Exception");
    }

    @Test
    void jsonReportsBothEnginesAndConsistentRatios() throws Exception {
        ToolsCliTest.Run r = cli(args("--json"));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("threads").asInt()).isEqualTo(1);
        assertThat(root.get("chunk").asInt()).isEqualTo(32);
        assertThat(root.get("context").asInt()).isEqualTo(256);
        JsonNode results = root.get("results");
        assertThat(results).hasSize(2);
        for (JsonNode n : results) {
            assertThat(n.get("canopy_prefill_tps").asDouble()).isPositive();
            assertThat(n.get("llama_decode_tps").asDouble()).isPositive();
            assertThat(n.get("prefill_ratio").asDouble())
                    .isCloseTo(n.get("canopy_prefill_tps").asDouble() / n.get("llama_prefill_tps").asDouble(),
                            org.assertj.core.data.Offset.offset(1e-9));
            assertThat(n.get("decode_ratio").asDouble()).isPositive();
            assertThat(n.get("prefill_cpu_time_ratio").asDouble()).as("one thread: CPU-time ratios too").isPositive();
            assertThat(n.get("decode_cpu_time_ratio").asDouble()).isPositive();
        }
    }

    @Test
    void badLengthsAreOneClearLine() {
        ToolsCliTest.Run r = cli("bench", "--model", model.toString(), "--prompt-tokens", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("at least 2 tokens").doesNotContain("\tat ");
        ToolsCliTest.Run small = cli("bench", "--model", model.toString(), "--prompt-tokens", "512", "--context", "256");
        assertThat(small.code()).isEqualTo(2);
        assertThat(small.err()).contains("--context 256 cannot hold");
    }

    @Test
    void aMissingModelIsOneClearLine() {
        ToolsCliTest.Run r = cli("bench", "--model", dir.resolve("missing.gguf").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not found").doesNotContain("\tat ");
    }
}
