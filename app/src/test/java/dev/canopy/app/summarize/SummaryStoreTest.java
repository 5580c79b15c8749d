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
            // The file is the user's one database: memory's tables are there too, created by the same migrations.
            assertThat(tables).contains("doc_documents", "doc_runs", "doc_summaries", "doc_results", "conversations");
        }
    }

    @Test
    void aDatabaseWhoseSummaryTablesTheStoreCreatedItselfMigratesWithItsSummaries() throws Exception {
        // A canopy.db from before migration 3: memory's schema at version 2, and the doc_* tables
        // that SummaryStore used to create on its own connection, holding a run and its summaries.
        Path file = dir.resolve("old/canopy.db");
        java.nio.file.Files.createDirectories(file.getParent());
        RunKey key = new RunKey("abc", "model-1", 512, "part=384");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            for (var m : dev.canopy.memory.db.Schema.migrations()) {
                if (m.version() > 2) continue;
                for (String ddl : m.statements()) st.execute(ddl);
            }
            st.execute("PRAGMA user_version = 2");
            for (String ddl : OLD_SUMMARY_TABLES) st.execute(ddl);
            st.execute("INSERT INTO doc_documents VALUES ('abc', 'Report', '/r.pdf', 'PDF', 3, 1)");
            st.execute("INSERT INTO doc_runs VALUES ('" + key.id() + "', 'abc', 'model-1', 'Model One', 512, 3, 'part=384', 1)");
            st.execute("INSERT INTO doc_summaries VALUES ('" + key.id() + "', 0, 0, 'first', 1, 2, 'COMPLETE', 5)");
            st.execute("INSERT INTO doc_results (run_id, content_hash, style, instruction, model_name, text, markdown,"
                    + " created_at) VALUES ('" + key.id() + "', 'abc', 'BRIEF', '', 'Model One', 'text', '# md', 1)");
        }
        try (SummaryStore s = SummaryStore.open(file)) {
            assertThat(s.summaries(key.id(), 0)).containsOnlyKeys(0);
            assertThat(s.summaries(key.id(), 0).get(0).text()).isEqualTo("first");
            assertThat(s.documents()).extracting(StoredDocument::title).containsExactly("Report");
            assertThat(s.result(key.id(), SummaryStyle.BRIEF, "")).get().extracting(StoredResult::markdown).isEqualTo("# md");
            s.saveSummaries(key.id(), List.of(new Summary(0, 1, "second", new SourceSpan(3, 4), SummaryStatus.COMPLETE, 6)));
            assertThat(s.summaries(key.id(), 0).keySet()).containsExactly(0, 1);
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            assertThat(st.executeQuery("PRAGMA user_version").getInt(1)).isEqualTo(3);
        }
    }

    /** The statements SummaryStore ran on every open before its tables became migration 3. */
    private static final String[] OLD_SUMMARY_TABLES = {
        """
        CREATE TABLE IF NOT EXISTS doc_documents (content_hash TEXT PRIMARY KEY, title TEXT NOT NULL,
          source_path TEXT NOT NULL, format TEXT NOT NULL, places INTEGER NOT NULL, added_at INTEGER NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS doc_runs (run_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, model_id TEXT NOT NULL,
          model_name TEXT NOT NULL, chunk_tokens INTEGER NOT NULL, chunks INTEGER NOT NULL, settings TEXT NOT NULL,
          created_at INTEGER NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS doc_summaries (run_id TEXT NOT NULL, level INTEGER NOT NULL, idx INTEGER NOT NULL,
          text TEXT NOT NULL, span_from INTEGER NOT NULL, span_to INTEGER NOT NULL, status TEXT NOT NULL,
          tokens INTEGER NOT NULL, PRIMARY KEY (run_id, level, idx))""",
        """
        CREATE TABLE IF NOT EXISTS doc_results (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL,
          content_hash TEXT NOT NULL, style TEXT NOT NULL, instruction TEXT NOT NULL, model_name TEXT NOT NULL,
          text TEXT NOT NULL, markdown TEXT NOT NULL, created_at INTEGER NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS doc_results_by_doc ON doc_results (content_hash, created_at)",
        "CREATE INDEX IF NOT EXISTS doc_results_by_run ON doc_results (run_id, style, instruction)"
    };

    @Test
    void theRunKeyChangesWithEveryInputThatChangesTheWork() {
        RunKey base = new RunKey("doc", "model", 1000, "part=384");
        assertThat(base.id()).isEqualTo(new RunKey("doc", "model", 1000, "part=384").id()).hasSize(32);
        assertThat(List.of(new RunKey("doc2", "model", 1000, "part=384"), new RunKey("doc", "model2", 1000, "part=384"),
                new RunKey("doc", "model", 999, "part=384"), new RunKey("doc", "model", 1000, "part=385")))
                .extracting(RunKey::id).doesNotContain(base.id());
    }
}
