package dev.canopy.app.summarize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class SummaryStoreTest {
    @TempDir
    Path dir;

    @Test
    void summariesSurviveReopeningAndLiveInDocTablesInWalMode() throws Exception {
        Path file = dir.resolve("data/canopy.db");
        RunKey key = new RunKey("abc", "model-1", 512, "part=384");
        try (SummaryStore s = SummaryStore.open(file)) {
            s.beginRun(key, "Model One", 3);
            s.saveSummaries(key.id(), List.of(
                    new Summary(0, 0, "first", new SourceSpan(1, 2), SummaryStatus.COMPLETE, 5),
                    new Summary(0, 2, "third", new SourceSpan(5, 6), SummaryStatus.CUT_SHORT, 9),
                    new Summary(1, 0, "merged [p. 1–2]", new SourceSpan(1, 6), SummaryStatus.COMPLETE, 7)));
            s.saveResult(key.id(), "abc", SummaryStyle.BRIEF, "", "Model One", "text [p. 1]", "# md");
        }
        try (SummaryStore s = SummaryStore.open(file)) {
            TreeMap<Integer, Summary> level0 = s.summaries(key.id(), 0);
            assertThat(level0.keySet()).containsExactly(0, 2);
            assertThat(level0.get(2).status()).isEqualTo(SummaryStatus.CUT_SHORT);
            assertThat(level0.get(2).span()).isEqualTo(new SourceSpan(5, 6));
            assertThat(s.summaries(key.id(), 1)).hasSize(1);
            assertThat(s.summaries(new RunKey("abc", "model-2", 512, "part=384").id(), 0)).isEmpty();
            assertThat(s.result(key.id(), SummaryStyle.BRIEF, "")).get().extracting(StoredResult::markdown).isEqualTo("# md");
            assertThat(s.result(key.id(), SummaryStyle.DETAILED, "")).isEmpty();
            s.forget("abc");
            assertThat(s.summaries(key.id(), 0)).isEmpty();
            assertThat(s.results("abc")).isEmpty();
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            var rs = st.executeQuery("PRAGMA journal_mode");
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            List<String> tables = new ArrayList<>();
            var t = st.executeQuery("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'");
            while (t.next()) tables.add(t.getString(1));
            assertThat(tables).isNotEmpty().allMatch(n -> n.startsWith("doc_"));
        }
    }

    @Test
    void theRunKeyChangesWithEveryInputThatChangesTheWork() {
        RunKey base = new RunKey("doc", "model", 1000, "part=384");
        assertThat(base.id()).isEqualTo(new RunKey("doc", "model", 1000, "part=384").id()).hasSize(32);
        assertThat(List.of(new RunKey("doc2", "model", 1000, "part=384"), new RunKey("doc", "model2", 1000, "part=384"),
                new RunKey("doc", "model", 999, "part=384"), new RunKey("doc", "model", 1000, "part=385")))
                .extracting(RunKey::id).doesNotContain(base.id());
    }
}
