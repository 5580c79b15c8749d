package dev.canopy.app.summarize;

import dev.canopy.app.documents.Document;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Documents, finished chunk and merge summaries, and final results in the user's SQLite database
 * (tables {@code doc_*}, WAL). Summaries are written after every batch, so a run cancelled or killed
 * halfway resumes from what it had finished. Thread-safe.
 */
public final class SummaryStore implements AutoCloseable {
    private static final String[] SCHEMA = {
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

    private final Connection db;

    private SummaryStore(Connection db) throws SQLException {
        this.db = db;
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA busy_timeout=5000");
            for (String ddl : SCHEMA) s.execute(ddl);
        }
    }

    /** Opens (creating if needed) the database file {@code file}. */
    public static SummaryStore open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            return new SummaryStore(DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath()));
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("Cannot open the database " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized void saveDocument(Document doc) {
        update("INSERT INTO doc_documents VALUES (?,?,?,?,?,?) ON CONFLICT(content_hash) DO UPDATE SET title=excluded.title,"
                + " source_path=excluded.source_path", doc.contentHash(), doc.title(), doc.source().toAbsolutePath().toString(),
                doc.format().name(), doc.places(), Instant.now().toEpochMilli());
    }

    /** Records a run (once); a later run with the same key finds its summaries. */
    public synchronized void beginRun(RunKey key, String modelName, int chunks) {
        update("INSERT OR IGNORE INTO doc_runs VALUES (?,?,?,?,?,?,?,?)", key.id(), key.documentHash(), key.modelId(),
                modelName, key.chunkTokens(), chunks, key.settings(), Instant.now().toEpochMilli());
    }

    /** Stored summaries of {@code level}, by index. */
    public synchronized TreeMap<Integer, Summary> summaries(String runId, int level) {
        TreeMap<Integer, Summary> out = new TreeMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT idx, text, span_from, span_to, status, tokens FROM doc_summaries"
                + " WHERE run_id=? AND level=?")) {
            ps.setString(1, runId);
            ps.setInt(2, level);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), new Summary(level, rs.getInt(1), rs.getString(2), new SourceSpan(rs.getInt(3), rs.getInt(4)),
                            SummaryStatus.valueOf(rs.getString(5)), rs.getInt(6)));
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    /** Stores finished summaries in one transaction. */
    public synchronized void saveSummaries(String runId, List<Summary> summaries) {
        if (summaries.isEmpty()) return;
        try {
            db.setAutoCommit(false);
            try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO doc_summaries VALUES (?,?,?,?,?,?,?,?)")) {
                for (Summary s : summaries) {
                    ps.setString(1, runId);
                    ps.setInt(2, s.level());
                    ps.setInt(3, s.index());
                    ps.setString(4, s.text());
                    ps.setInt(5, s.span().from());
                    ps.setInt(6, s.span().to());
                    ps.setString(7, s.status().name());
                    ps.setInt(8, s.generatedTokens());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            db.commit();
        } catch (SQLException e) {
            try { db.rollback(); } catch (SQLException ignored) { /* the original failure matters */ }
            throw failure(e);
        } finally {
            try { db.setAutoCommit(true); } catch (SQLException ignored) { /* closed */ }
        }
    }

    /** The latest final summary of a run in this style and instruction, if one was written. */
    public synchronized Optional<StoredResult> result(String runId, SummaryStyle style, String instruction) {
        return query("SELECT * FROM doc_results WHERE run_id=? AND style=? AND instruction=? ORDER BY id DESC LIMIT 1",
                runId, style.name(), instruction).stream().findFirst();
    }

    /** Every final summary of a document, newest first (the UI's history). */
    public synchronized List<StoredResult> results(String documentHash) {
        return query("SELECT * FROM doc_results WHERE content_hash=? ORDER BY id DESC", documentHash);
    }

    public synchronized long saveResult(String runId, String documentHash, SummaryStyle style, String instruction,
                                        String modelName, String text, String markdown) {
        update("INSERT INTO doc_results (run_id, content_hash, style, instruction, model_name, text, markdown, created_at)"
                + " VALUES (?,?,?,?,?,?,?,?)", runId, documentHash, style.name(), instruction, modelName, text, markdown,
                Instant.now().toEpochMilli());
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Summarized documents, most recently added first. */
    public synchronized List<StoredDocument> documents() {
        List<StoredDocument> out = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM doc_documents ORDER BY added_at DESC")) {
            while (rs.next()) {
                out.add(new StoredDocument(rs.getString("content_hash"), rs.getString("title"), rs.getString("source_path"),
                        rs.getString("format"), rs.getInt("places"), Instant.ofEpochMilli(rs.getLong("added_at"))));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    /** Deletes a document with all its runs, summaries and results. */
    public synchronized void forget(String documentHash) {
        update("DELETE FROM doc_summaries WHERE run_id IN (SELECT run_id FROM doc_runs WHERE content_hash=?)", documentHash);
        update("DELETE FROM doc_runs WHERE content_hash=?", documentHash);
        update("DELETE FROM doc_results WHERE content_hash=?", documentHash);
        update("DELETE FROM doc_documents WHERE content_hash=?", documentHash);
    }

    private List<StoredResult> query(String sql, Object... args) {
        List<StoredResult> out = new ArrayList<>();
        try (PreparedStatement ps = bind(sql, args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredResult(rs.getLong("id"), rs.getString("run_id"), rs.getString("content_hash"),
                        SummaryStyle.valueOf(rs.getString("style")), rs.getString("instruction"), rs.getString("model_name"),
                        rs.getString("text"), rs.getString("markdown"), Instant.ofEpochMilli(rs.getLong("created_at"))));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement ps = bind(sql, args)) {
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private PreparedStatement bind(String sql, Object... args) throws SQLException {
        PreparedStatement ps = db.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
        return ps;
    }

    private static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("Database error: " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // Nothing left to do.
        }
    }
}
