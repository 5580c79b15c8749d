package dev.canopy.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CanopyCliTest {
    @TempDir
    static Path dir;
    static Path model;

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("qwen2"), dir.resolve("tiny-qwen2.gguf"));
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = CanopyCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void versionNamesCanopyAndTheLlamaRelease() {
        Run r = cli("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Canopy 0.1.0-SNAPSHOT").contains("llama.cpp v0.5.0");
    }

    @Test
    void infoDescribesTheModelAndDevices() {
        Run r = cli("info", "--model", model.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("architecture:   qwen2").contains("layers:         2")
                .contains("vocabulary:     32,000 tokens").contains("CPU");
    }

    @Test
    void aMissingModelIsOneClearLineWithoutStackTrace() {
        Run r = cli("info", "--model", dir.resolve("missing.gguf").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Model file not found").doesNotContain("\tat ");
    }

    @Test
    void aContextTooBigForMemoryNamesTheMemoryAndWhatToLower() throws Exception {
        Path overcommit = Path.of("/proc/sys/vm/overcommit_memory");   // "1": Linux grants any size, and touching it kills the JVM
        assumeTrue(!Files.exists(overcommit) || !Files.readString(overcommit).strip().equals("1"));
        Run r = cli("generate", "--model", model.toString(), "--prompt", "Once upon a time", "--max-tokens", "2",
                "--context", "2000000000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("canopy: not enough memory: could not allocate ").contains(" GiB of CPU memory for the KV cache")
                .contains("Lower --context").doesNotContain("--gpu-layers").doesNotContain("\tat ");
    }

    @Test
    void anEmptyPromptIsOneClearLineNotAnAnswer() throws Exception {
        Run blank = cli("generate", "--model", model.toString(), "--prompt", "  ");
        assertThat(blank.code()).isEqualTo(2);
        assertThat(blank.out()).isEmpty();
        assertThat(blank.err().strip()).isEqualTo("canopy: the prompt is empty");
        assertThat(cli("generate", "--model", model.toString(), "--prompt", "hi", "--max-tokens", "0").err().strip())
                .isEqualTo("canopy: --max-tokens must be at least 1, got 0");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n");
        Run file = cli("generate", "--model", model.toString(), "--prompt-file", empty.toString());
        assertThat(file.code()).isEqualTo(2);
        assertThat(file.err().strip()).isEqualTo("canopy: the prompt file " + empty + " is empty");
    }

    @Test
    void generateIsDeterministicWhenGreedy() {
        Run a = cli("generate", "--model", model.toString(), "--prompt", "Once upon a time", "--max-tokens", "8",
                "--temperature", "0", "--engine", "llama");
        Run b = cli("generate", "--model", model.toString(), "--prompt", "Once upon a time", "--max-tokens", "8",
                "--temperature", "0", "--engine", "llama");
        assertThat(a.code()).isZero();
        assertThat(a.out().strip()).isNotEmpty().isEqualTo(b.out().strip());
        assertThat(a.err()).contains("reached --max-tokens");
    }

    @Test
    void batchWritesOneJsonLinePerPromptWithTheSameTextAsASinglePrompt() throws Exception {
        Path in = Files.writeString(dir.resolve("in.jsonl"),
                "{\"id\":\"a\",\"prompt\":\"Once upon a time\"}\n{\"id\":\"b\",\"prompt\":\"The quick brown fox\"}\n");
        Run r = cli("generate", "--model", model.toString(), "--batch", in.toString(), "--max-tokens", "8",
                "--temperature", "0", "--engine", "llama");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines[0]);
        assertThat(first.get("id").asText()).isEqualTo("a");
        assertThat(first.get("prompt_tokens").asInt()).isGreaterThan(1);
        assertThat(json.readTree(lines[1]).get("id").asText()).isEqualTo("b");

        Run single = cli("generate", "--model", model.toString(), "--prompt", "Once upon a time", "--max-tokens", "8",
                "--temperature", "0", "--engine", "llama");
        assertThat(first.get("text").asText()).isEqualTo(single.out().strip());
    }

    @Test
    void badBatchLineNamesTheLine() throws Exception {
        Path in = Files.writeString(dir.resolve("bad.jsonl"), "{\"id\":\"a\",\"prompt\":\"x\"}\nnot json\n");
        Run r = cli("generate", "--model", model.toString(), "--batch", in.toString(), "--engine", "llama");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("line 2 is not valid JSON");
        Path blank = Files.writeString(dir.resolve("blank.jsonl"), "{\"id\":\"a\",\"prompt\":\"x\"}\n{\"prompt\":\" \"}\n");
        Run b = cli("generate", "--model", model.toString(), "--batch", blank.toString(), "--engine", "llama");
        assertThat(b.code()).isEqualTo(2);
        assertThat(b.err()).contains("line 2 has an empty \"prompt\"");
    }

    @Test
    void selfTestPasses() {
        Run r = cli("--self-test");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("ok    native libraries").contains("ok    database").contains("self-test passed");
    }

    @Test
    void summarizeWritesMarkdownAndResumesFromTheDatabase() throws Exception {
        StringBuilder text = new StringBuilder("# Harvest report\n\n");
        for (int i = 0; i < 40; i++) text.append("The orchard gave ").append(i).append(" baskets of apples in week ").append(i).append(".\n\n");
        Path doc = Files.writeString(dir.resolve("report.md"), text);
        Path db = dir.resolve("summaries.db");
        Path out = dir.resolve("summary.md");
        Run first = cli("summarize", doc.toString(), "--model", model.toString(), "--db", db.toString(),
                "--out", out.toString(), "--chunk-tokens", "256", "--part-tokens", "16", "--merge-tokens", "16",
                "--final-tokens", "32", "--quiet", "--threads", "1");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(Files.readString(out)).isNotBlank();
        assertThat(first.err()).contains("chunks of up to").contains("0 reused");

        Run again = cli("summarize", doc.toString(), "--model", model.toString(), "--db", db.toString(),
                "--out", out.toString(), "--chunk-tokens", "256", "--part-tokens", "16", "--merge-tokens", "16",
                "--final-tokens", "32", "--quiet", "--threads", "1");
        assertThat(again.code()).isZero();
        assertThat(again.err()).doesNotContain(" 0 reused");
    }

    @Test
    void summarizingAFileThatIsNotADocumentIsOneClearLine() throws Exception {
        Path exe = Files.write(dir.resolve("tool.exe"), new byte[] {0x4d, 0x5a, 0, 0});
        Run r = cli("summarize", exe.toString(), "--model", model.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("can't read").doesNotContain("\tat ");
        Path doc = Files.writeString(dir.resolve("short.txt"), "A short note about apples.");
        Run tiny = cli("summarize", doc.toString(), "--model", model.toString(), "--final-tokens", "8",
                "--db", dir.resolve("x.db").toString());
        assertThat(tiny.code()).isEqualTo(2);
        assertThat(tiny.err()).contains("at least 32 tokens, not 8");
    }
}
