package dev.canopy.app.summarize;

import dev.canopy.app.documents.Document;
import dev.canopy.app.documents.DocumentLoaders;
import dev.canopy.app.documents.TestTexts;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.StopReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pipeline's bookkeeping on a counting fake model: exactly once, resume, cancel, cut-short answers, levels. */
class SummarizationPipelineTest {
    private static final Pattern ENDS_WITH_CITATION = Pattern.compile("(?s).*\\[(lines?) \\d+(–\\d+)?\\]$");

    @TempDir
    Path dir;
    SummaryStore store;
    Document doc;

    /** Options sized for the fake's 400-token context: one paragraph per chunk, about 100 chunks. */
    static final SummarizeOptions OPTIONS = SummarizeOptions.defaults().withChunkTokens(64).withBatchSize(4)
            .withSummaryTokens(32, 48, 64);

    @BeforeEach
    void setUp() throws Exception {
        store = SummaryStore.open(dir.resolve("canopy.db"));
        Random r = new Random(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) sb.append(TestTexts.paragraph(r, 5)).append("\n\n");
        doc = DocumentLoaders.load(Files.writeString(dir.resolve("long.txt"), sb.toString()));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private SummaryResult run(FakeModel m, SummarizeOptions o, SummaryListener l, CancellationToken cancel) {
        return new SummarizationPipeline(m, store, o).run(doc, l, cancel);
    }

    private SummaryResult run(FakeModel m, SummarizeOptions o) {
        return run(m, o, SummaryListener.NONE, new CancellationToken());
    }

    @Test
    void everyChunkIsSummarizedExactlyOnceInBatches() {
        FakeModel m = new FakeModel(400);
        List<SummaryProgress> progress = new ArrayList<>();

        SummaryResult r = run(m, OPTIONS, new SummaryListener() {
            @Override public void onProgress(SummaryProgress p) { progress.add(p); }
        }, new CancellationToken());

        int chunks = r.stats().chunks();
        assertThat(chunks).isBetween(80, 130);
        assertThat(r.completed()).isTrue();
        for (int part = 1; part <= chunks; part++) assertThat(m.promptsForPart(part)).as("part %d", part).isEqualTo(1);
        assertThat(m.promptsForPart(chunks + 1)).isZero();
        assertThat(m.batchSizes.subList(0, (chunks + 3) / 4)).allMatch(n -> n <= 4).first().isEqualTo(4);
        assertThat(r.chunkSummaries()).hasSize(chunks).allMatch(s -> s.status() == SummaryStatus.COMPLETE);
        assertThat(store.summaries(r.runId(), 0)).hasSize(chunks);
        assertThat(progress).filteredOn(p -> p.phase() == SummaryPhase.SUMMARIZING_CHUNKS).last()
                .satisfies(p -> assertThat(p.chunksDone()).isEqualTo(chunks));
        assertThat(progress.getLast().phase()).isEqualTo(SummaryPhase.DONE);
    }

    @Test
    void summariesAreMergedLevelByLevelAndEveryFinalStatementCitesItsLines() {
        FakeModel m = new FakeModel(400);
        m.mergeText = "The harbor was rebuilt by the council after the flood of the old years.\n\n"
                + "The library and the museum opened their archives for students, teachers and visitors.\n\n"
                + "The bridge, the market and the station grew with the village over the whole century.";

        SummaryResult r = run(m, OPTIONS);

        assertThat(r.stats().levels()).isGreaterThanOrEqualTo(2);
        assertThat(m.mergePrompts()).isGreaterThan(2);
        assertThat(m.finalPrompts()).isEqualTo(1);
        List<String> statements = Citations.units(r.text()).stream().filter(u -> !u.isBlank()).toList();
        assertThat(statements).hasSize(2).allMatch(s -> ENDS_WITH_CITATION.matcher(s).matches());
        for (Citations.Statement s : Citations.statements(r.text(), new SourceSpan(1, doc.places()))) {
            assertThat(new SourceSpan(1, doc.places()).contains(s.span())).isTrue();
        }
        assertThat(r.markdown()).startsWith("# Summary of long").contains("## Part summaries").contains("[lines 1–");
    }

    @Test
    void aCancelledRunResumesWithoutRedoingFinishedChunks() {
        FakeModel first = new FakeModel(400);
        CancellationToken cancel = new CancellationToken();
        SummaryResult cancelled = run(first, OPTIONS, new SummaryListener() {
            @Override public void onProgress(SummaryProgress p) { if (p.chunksDone() >= 8) cancel.cancel(); }
        }, cancel);

        assertThat(cancelled.state()).isEqualTo(SummaryResult.RunState.CANCELLED);
        assertThat(cancelled.chunkSummaries()).hasSize(8);
        assertThat(first.batchSizes).hasSize(2);

        FakeModel second = new FakeModel(400);
        SummaryResult resumed = run(second, OPTIONS);

        assertThat(resumed.completed()).isTrue();
        assertThat(resumed.stats().reused()).isEqualTo(8);
        for (int part = 1; part <= resumed.stats().chunks(); part++) {
            assertThat(first.promptsForPart(part) + second.promptsForPart(part)).as("part %d", part).isEqualTo(1);
        }
        assertThat(second.promptsForPart(1)).isZero();
    }

    @Test
    void cancelDuringAChunkStopsThereAndDropsOnlyThatChunk() {
        FakeModel m = new FakeModel(400);
        CancellationToken cancel = new CancellationToken();
        m.beforeBatch = () -> { if (m.batchSizes.size() == 3) cancel.cancel(); };

        SummaryResult r = run(m, OPTIONS.withBatchSize(1), SummaryListener.NONE, cancel);

        assertThat(r.state()).isEqualTo(SummaryResult.RunState.CANCELLED);
        assertThat(m.batchSizes).hasSize(3);
        assertThat(r.chunkSummaries()).extracting(Summary::index).containsExactly(0, 1);
        assertThat(store.summaries(r.runId(), 0)).hasSize(2);
        assertThat(r.text()).isEmpty();
    }

    @Test
    void aFinishedSummaryIsReturnedFromTheStoreAndAnotherStyleRedoesOnlyTheFinalPass() {
        SummaryResult first = run(new FakeModel(400), OPTIONS);

        FakeModel again = new FakeModel(400);
        SummaryResult second = run(again, OPTIONS);
        assertThat(again.prompts).isEmpty();
        assertThat(second.text()).isEqualTo(first.text());
        assertThat(second.stats().sequences()).isZero();

        FakeModel bullets = new FakeModel(400);
        SummaryResult third = run(bullets, OPTIONS.withStyle(SummaryStyle.BULLETS, ""));
        assertThat(bullets.prompts).hasSize(1);
        assertThat(bullets.finalPrompts()).isEqualTo(1);
        assertThat(bullets.prompts.getFirst()).contains("one point per line");
        assertThat(store.results(doc.contentHash())).hasSize(2).extracting(StoredResult::style)
                .containsExactly(SummaryStyle.BULLETS, SummaryStyle.BRIEF);
        assertThat(third.completed()).isTrue();
    }

    @Test
    void aSummaryCutShortIsRetriedWithMoreRoomAndMarkedWhenStillCut() {
        FakeModel m = new FakeModel(400);
        m.stopReason = (prompt, max) -> {
            if (prompt.contains("This is part 2 of") && max == 32) return StopReason.MAX_TOKENS;
            if (prompt.contains("This is part 3 of")) return StopReason.MAX_TOKENS;
            return StopReason.END_OF_TEXT;
        };

        SummaryResult r = run(m, OPTIONS);

        assertThat(m.promptsForPart(2)).isEqualTo(2);
        assertThat(m.promptsForPart(3)).isEqualTo(2);
        assertThat(r.chunkSummaries().get(1).status()).isEqualTo(SummaryStatus.COMPLETE);
        assertThat(r.chunkSummaries().get(2).status()).isEqualTo(SummaryStatus.CUT_SHORT);
        assertThat(r.notes()).anyMatch(n -> n.startsWith("1 of ") && n.contains("length limit"));
        assertThat(r.markdown()).contains("cut short at its length limit");
    }

    @Test
    void aChunkSizeTheContextCannotHoldIsRefusedClearly() {
        assertThatThrownBy(() -> run(new FakeModel(400), OPTIONS.withChunkTokens(2000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit").hasMessageContaining("400");
    }

    @Test
    void withoutAChunkSizeChunksGrowWithTheContext() {
        SummaryResult small = run(new FakeModel(600), OPTIONS.withChunkTokens(0));
        SummaryResult large = run(new FakeModel(3000), OPTIONS.withChunkTokens(0));

        assertThat(large.stats().chunkTokens()).isGreaterThan(small.stats().chunkTokens() * 4);
        assertThat(large.stats().chunks()).isLessThan(small.stats().chunks());
    }
}
