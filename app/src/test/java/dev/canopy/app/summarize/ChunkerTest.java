package dev.canopy.app.summarize;

import dev.canopy.app.documents.Document;
import dev.canopy.app.documents.DocumentLoaders;
import dev.canopy.app.documents.TestTexts;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Chunking with the real llama tokenizer of a tiny GGUF. */
class ChunkerTest {
    @TempDir
    static Path dir;
    static InferenceModel model;
    static Tokenizer tok;

    @BeforeAll
    static void load() throws Exception {
        model = TinyLlama.load(dir, 512);
        tok = model.tokenizer();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Long text: ordinary paragraphs, one huge paragraph without blank lines, and one endless sentence. */
    private static Document longText(String name) throws Exception {
        Random r = new Random(11);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) sb.append(TestTexts.paragraph(r, 1 + r.nextInt(6))).append("\n\n");
        sb.append(TestTexts.paragraph(r, 80)).append("\n\n");
        StringBuilder endless = new StringBuilder("And then");
        for (int i = 0; i < 400; i++) endless.append(" the quiet harbor and the narrow bridge");
        sb.append(endless).append(".\n\n");
        for (int i = 0; i < 10; i++) sb.append(TestTexts.paragraph(r, 3)).append("\n\n");
        return DocumentLoaders.load(Files.writeString(dir.resolve(name), sb.toString()));
    }

    @Test
    void everyChunkFitsTheBudgetAndNoWordIsSplitLostOrRepeated() throws Exception {
        Document doc = longText("long.txt");
        int budget = 120;

        List<Chunk> chunks = new Chunker(tok, budget).split(doc);

        assertThat(chunks.size()).isGreaterThan(20);
        List<String> chunkWords = new ArrayList<>();
        for (Chunk c : chunks) {
            assertThat(tok.count(c.text())).as("chunk %d", c.index()).isLessThanOrEqualTo(budget).isEqualTo(c.tokens());
            chunkWords.addAll(TestTexts.words(c.text()));
        }
        List<String> docWords = new ArrayList<>();
        doc.blocks().forEach(b -> docWords.addAll(TestTexts.words(b.text())));
        assertThat(chunkWords).containsExactlyElementsOf(docWords);
        assertThat(chunks).extracting(Chunk::index).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, chunks.size()).boxed().toList());
    }

    @Test
    void aParagraphLargerThanAChunkIsCutBetweenSentences() throws Exception {
        Random r = new Random(5);
        String para = TestTexts.paragraph(r, 60);
        Document doc = DocumentLoaders.load(Files.writeString(dir.resolve("one-para.txt"), para));

        List<Chunk> chunks = new Chunker(tok, 100).split(doc);

        assertThat(chunks.size()).isGreaterThan(3);
        for (Chunk c : chunks) assertThat(c.text()).startsWith("The ").endsWith(".");
    }

    @Test
    void spansFollowTheDocumentAndSectionsStartChunks() throws Exception {
        Random r = new Random(9);
        StringBuilder md = new StringBuilder();
        for (int s = 1; s <= 6; s++) {
            md.append("# Section ").append(s).append("\n\n");
            for (int p = 0; p < 3; p++) md.append(TestTexts.paragraph(r, 2)).append("\n\n");
        }
        Document doc = DocumentLoaders.load(Files.writeString(dir.resolve("sections.md"), md.toString()));
        int sectionTokens = tok.count(md.substring(0, md.indexOf("# Section 2")));

        List<Chunk> chunks = new Chunker(tok, (int) (sectionTokens * 1.6)).split(doc);

        assertThat(chunks).hasSize(6);
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).text()).startsWith("# Section " + (i + 1));
            assertThat(chunks.get(i).headings()).containsExactly("Section " + (i + 1));
            if (i > 0) assertThat(chunks.get(i).span().from()).isGreaterThan(chunks.get(i - 1).span().to());
        }
    }

    @Test
    void pdfChunksMarkWherePagesStartAndTraceSummaryStatementsToTheirPage() throws Exception {
        List<List<String>> pages = List.of(List.of("Alpha harbor records mention sailors, nets and herring."),
                List.of("Beta library catalogues list manuscripts, maps and ledgers."),
                List.of("Gamma museum exhibits show engines, looms and clocks."));
        Document doc = DocumentLoaders.load(dev.canopy.app.documents.TestPdfs.textPdf(dir.resolve("three.pdf"), pages, java.util.Map.of()));

        Chunk c = new Chunker(tok, 400).split(doc).getFirst();

        assertThat(c.text()).startsWith("[p. 1]\n\nAlpha").contains("\n\n[p. 2]\n\nBeta").contains("[p. 3]");
        assertThat(c.span()).isEqualTo(new SourceSpan(1, 3));
        assertThat(c.sources()).extracting(Citations.Statement::span)
                .containsExactly(new SourceSpan(1, 1), new SourceSpan(2, 2), new SourceSpan(3, 3));
        String cited = Citations.attribute("The library catalogues list old manuscripts.\n\nThe museum shows looms.",
                c.sources(), c.span(), doc.locator());
        assertThat(cited).isEqualTo("The library catalogues list old manuscripts. [p. 2]\n\nThe museum shows looms. [p. 3]");
    }

    @Test
    void chunkPromptsFitTheModelsContextWithRoomForTheSummary() throws Exception {
        Document doc = longText("context.txt");
        SummarizeOptions options = SummarizeOptions.defaults().withSummaryTokens(48, 64, 96);
        SummaryPrompts prompts = new SummaryPrompts(model, doc);
        int context = 512;

        Budgets b = Budgets.compute(prompts, tok, options, context);
        List<Chunk> chunks = new Chunker(tok, b.chunkTokens()).split(doc);

        assertThat(b.chunkTokens()).isGreaterThan(200);
        for (Chunk c : chunks) {
            int promptTokens = tok.encode(prompts.chunk(c, chunks.size(), b.partTokens()), true).length;
            assertThat(promptTokens + b.partTokens()).as("chunk %d", c.index()).isLessThanOrEqualTo(context);
        }
        assertThatThrownBy(() -> Budgets.compute(prompts, tok, options.withChunkTokens(600), context))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit");
    }
}
