package dev.canopy.app.summarize;

import dev.canopy.app.documents.Document;
import dev.canopy.memory.db.Database;
import dev.canopy.memory.db.MemoryStoreException;
import dev.canopy.memory.db.SqlWork;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Documents, finished chunk and merge summaries, and final results in the user's SQLite database
 * (tables {@code doc_*}, created by the memory module's versioned migrations, {@code Schema} version
 * 3). Summaries are written after every batch, so a run cancelled or killed halfway resumes from
 * what it had finished. Thread-safe (the {@link Database} runs one piece of work at a time).
 */
public final class SummaryStore implements AutoCloseable {
    private final Database db;          // owned when opened by open(Path), else borrowed from the composition root
    private final AutoCloseable onClose;

    private SummaryStore(Database db, AutoCloseable onClose) {
        this.db = db;
        this.onClose = onClose;
    }

    /** The store over {@code db}, which the caller (the composition root) keeps open and closes. */
    public static SummaryStore over(Database db) {
        return new SummaryStore(db, () -> { });
    }

    /** Opens (creating and migrating if needed) the database file {@code file}; closing the store closes it. */
    public static SummaryStore open(Path file) {
        try {
            Database db = Database.open(file);
            return new SummaryStore(db, db::close);
        } catch (MemoryStoreException e) {
            throw new IllegalStateException("Cannot open the database " + file + ": " + e.getMessage(), e);
        }
    }

    public void saveDocument(Document doc) {
        write("saving a document", s -> s.update("INSERT INTO doc_documents VALUES (?,?,?,?,?,?) ON CONFLICT(content_hash)"
                + " DO UPDATE SET title=excluded.title, source_path=excluded.source_path", doc.contentHash(), doc.title(),
                doc.source().toAbsolutePath().toString(), doc.format().name(), doc.places(), Instant.now().toEpochMilli()));
    }

    /** Records a run (once); a later run with the same key finds its summaries. */
    public void beginRun(RunKey key, String modelName, int chunks) {
        write("recording a summary run", s -> s.update("INSERT OR IGNORE INTO doc_runs VALUES (?,?,?,?,?,?,?,?)", key.id(),
                key.documentHash(), key.modelId(), modelName, key.chunkTokens(), chunks, key.settings(),
                Instant.now().toEpochMilli()));
    }

    /** Stored summaries of {@code level}, by index. */
    public TreeMap<Integer, Summary> summaries(String runId, int level) {
        TreeMap<Integer, Summary> out = new TreeMap<>();
        read("reading summaries", s -> s.list("SELECT idx, text, span_from, span_to, status, tokens FROM doc_summaries"
                + " WHERE run_id=? AND level=?", rs -> new Summary(level, rs.getInt(1), rs.getString(2),
                new SourceSpan(rs.getInt(3), rs.getInt(4)), SummaryStatus.valueOf(rs.getString(5)), rs.getInt(6)),
                runId, level)).forEach(summary -> out.put(summary.index(), summary));
        return out;
    }

    /** Stores finished summaries in one transaction. */
    public void saveSummaries(String runId, List<Summary> summaries) {
        if (summaries.isEmpty()) return;
        write("saving summaries", s -> {
            for (Summary sum : summaries) {
                s.update("INSERT OR REPLACE INTO doc_summaries VALUES (?,?,?,?,?,?,?,?)", runId, sum.level(), sum.index(),
                        sum.text(), sum.span().from(), sum.span().to(), sum.status().name(), sum.generatedTokens());
            }
            return null;
        });
    }

    /** The latest final summary of a run in this style and instruction, if one was written. */
    public Optional<StoredResult> result(String runId, SummaryStyle style, String instruction) {
        return results("SELECT * FROM doc_results WHERE run_id=? AND style=? AND instruction=? ORDER BY id DESC LIMIT 1",
                runId, style.name(), instruction).stream().findFirst();
    }

    /** Every final summary of a document, newest first (the UI's history). */
    public List<StoredResult> results(String documentHash) {
        return results("SELECT * FROM doc_results WHERE content_hash=? ORDER BY id DESC", documentHash);
    }

    public long saveResult(String runId, String documentHash, SummaryStyle style, String instruction,
                           String modelName, String text, String markdown) {
        return write("saving a summary", s -> s.insert("INSERT INTO doc_results (run_id, content_hash, style, instruction,"
                + " model_name, text, markdown, created_at) VALUES (?,?,?,?,?,?,?,?)", runId, documentHash, style.name(),
                instruction, modelName, text, markdown, Instant.now().toEpochMilli()));
    }

    /** Summarized documents, most recently added first. */
    public List<StoredDocument> documents() {
        return read("listing documents", s -> s.list("SELECT * FROM doc_documents ORDER BY added_at DESC",
                rs -> new StoredDocument(rs.getString("content_hash"), rs.getString("title"), rs.getString("source_path"),
                        rs.getString("format"), rs.getInt("places"), Instant.ofEpochMilli(rs.getLong("added_at")))));
    }

    /** Deletes a document with all its runs, summaries and results. */
    public void forget(String documentHash) {
        write("forgetting a document", s -> {
            s.update("DELETE FROM doc_summaries WHERE run_id IN (SELECT run_id FROM doc_runs WHERE content_hash=?)", documentHash);
            s.update("DELETE FROM doc_runs WHERE content_hash=?", documentHash);
            s.update("DELETE FROM doc_results WHERE content_hash=?", documentHash);
            s.update("DELETE FROM doc_documents WHERE content_hash=?", documentHash);
            return null;
        });
    }

    private List<StoredResult> results(String sql, Object... args) {
        return read("reading summaries", s -> s.list(sql, SummaryStore::result, args));
    }

    private static StoredResult result(ResultSet rs) throws SQLException {
        return new StoredResult(rs.getLong("id"), rs.getString("run_id"), rs.getString("content_hash"),
                SummaryStyle.valueOf(rs.getString("style")), rs.getString("instruction"), rs.getString("model_name"),
                rs.getString("text"), rs.getString("markdown"), Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private <T> T read(String action, SqlWork<T> work) {
        try {
            return db.read(action, work);
        } catch (MemoryStoreException e) {
            throw failure(e);
        }
    }

    private <T> T write(String action, SqlWork<T> work) {
        try {
            return db.write(action, work);
        } catch (MemoryStoreException e) {
            throw failure(e);
        }
    }

    private static IllegalStateException failure(MemoryStoreException e) {
        return new IllegalStateException("Database error: " + e.getMessage(), e);
    }

    /** Closes the database when this store opened it ({@link #open}); a borrowed one stays open. */
    @Override
    public void close() {
        try {
            onClose.close();
        } catch (Exception ignored) {
            // Nothing left to do.
        }
    }
}
