package dev.canopy.app.summarize;

import dev.canopy.app.cli.SummarizeCommand;
import dev.canopy.app.documents.Document;
import dev.canopy.app.documents.DocumentLoaders;
import dev.canopy.app.documents.TestPdfs;
import dev.canopy.app.documents.TestTexts;
import dev.canopy.engine.InferenceModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path on a real (random-weight, so gibberish-writing) tiny llama GGUF loaded through the
 * engine: a generated PDF, batched chunk summaries, merges, the final pass, SQLite, resume, and the CLI.
 */
class EndToEndSummaryTest {
    private static final Pattern PAGE_CITATION = Pattern.compile("(?s).*\\[p\\. \\d+(–\\d+)?\\]$");

    @TempDir
    static Path dir;
    static InferenceModel model;
    static Path modelFile;

    @BeforeAll
    static void load() throws Exception {
        model = TinyLlama.load(dir, 512);
        modelFile = dir.resolve("tiny-llama.gguf");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aPdfIsSummarizedWithPageCitationsStoredAndResumedForFree() throws Exception {
        Path pdf = TestPdfs.textPdf(dir.resolve("history.pdf"), TestTexts.pages(21, 8, 3, 3),
                Map.of("Early years", 1, "Growth", 4, "Today", 7));
        Document doc = DocumentLoaders.load(pdf);
        SummarizeOptions options = SummarizeOptions.defaults().withChunkTokens(160).withBatchSize(3).withSummaryTokens(24, 32, 48);

        SummaryResult r;
        try (SummaryStore store = SummaryStore.open(dir.resolve("canopy.db"))) {
            CountingModel counting = new CountingModel(model);
            r = new SummarizationPipeline(counting, store, options).run(doc);

            assertThat(r.completed()).isTrue();
            int chunks = r.stats().chunks();
            assertThat(chunks).isGreaterThanOrEqualTo(4);
            assertThat(r.stats().levels()).as("merge levels").isGreaterThanOrEqualTo(1);
            assertThat(r.chunkSummaries()).hasSize(chunks).allSatisfy(s -> assertThat(s.text()).isNotBlank());
            assertThat(r.chunkSummaries()).extracting(Summary::index).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, chunks).boxed().toList());
            assertThat(counting.sequences.get()).isGreaterThanOrEqualTo(chunks + 1).isEqualTo(r.stats().sequences());
            List<String> statements = Citations.units(r.text()).stream().filter(u -> !u.isBlank() && !u.startsWith("#")).toList();
            assertThat(statements).isNotEmpty().allMatch(s -> PAGE_CITATION.matcher(s).matches());
            assertThat(store.summaries(r.runId(), 0)).hasSize(chunks);
            assertThat(store.results(doc.contentHash())).singleElement().extracting(StoredResult::text).isEqualTo(r.text());
            assertThat(r.stats().tokensPerSecond()).isPositive();

            CountingModel again = new CountingModel(model);
            SummaryResult resumed = new SummarizationPipeline(again, store, options).run(doc);
            assertThat(again.sequences.get()).isZero();
            assertThat(resumed.text()).isEqualTo(r.text());
            assertThat(resumed.stats().reused()).isGreaterThanOrEqualTo(chunks);
        }
        assertThat(r.markdown()).contains("# Summary of history").contains("## Part summaries").contains("### [p. 1");
    }

    @Test
    void theCliPrintsMarkdownAndProgressAndRefusesAnEncryptedPdfInOneLine() throws Exception {
        Path md = dir.resolve("notes.md");
        StringBuilder sb = new StringBuilder("# Notes\n\n");
        java.util.Random rnd = new java.util.Random(2);
        for (int i = 0; i < 12; i++) sb.append(TestTexts.paragraph(rnd, 3)).append("\n\n");
        Files.writeString(md, sb.toString());
        Path db = dir.resolve("cli.db");

        Run ok = cli("summarize", md.toString(), "--model", modelFile.toString(), "--style", "bullets", "--db", db.toString(),
                "--chunk-tokens", "120", "--batch", "2", "--part-tokens", "16", "--merge-tokens", "24", "--final-tokens", "32",
                "--engine", "llama", "--context", "1024", "--threads", "1");

        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("# Summary of Notes").contains("Style: bullets").contains("[line");
        assertThat(ok.err()).contains("chunks ").contains("prefill").contains("tok/s").contains("lines |");

        Run locked = cli("summarize", TestPdfs.encryptedPdf(dir.resolve("locked.pdf")).toString(), "--model", modelFile.toString(),
                "--db", db.toString());
        assertThat(locked.code()).isNotZero();
        assertThat(locked.err().strip()).startsWith("canopy: This PDF is password-protected").doesNotContain("\n").doesNotContain("Exception");
    }

    record Run(int code, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new SummarizeCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    cmd.getErr().println("canopy: " + ex.getMessage());
                    cmd.getErr().flush();
                    return 2;
                });
        int code = cl.execute(java.util.Arrays.copyOfRange(args, 1, args.length));
        return new Run(code, out.toString(), err.toString());
    }
}
