package dev.canopy.memory.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite file (one user's memory): WAL journal, foreign keys on, a busy timeout, versioned
 * migrations ({@code PRAGMA user_version}).
 *
 * <p>Durability: {@code synchronous=NORMAL} in WAL mode, so every committed transaction survives a
 * crash of the process; after a power cut or OS crash the database is still consistent but the
 * last commits before the cut may be missing. The file is checked ({@code PRAGMA quick_check})
 * when the previous session did not close it cleanly.
 *
 * <p>Threading: one connection, used by one thread at a time (a reentrant lock); transactions may
 * nest, the outermost one commits.
 */
public final class Database implements AutoCloseable {

    private static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int BUSY_TIMEOUT_MS = 5_000;

    private final Path file;
    private final Connection connection;
    private final Sql sql;
    private final ReentrantLock lock = new ReentrantLock();
    private int txDepth;
    private boolean closed;

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
        this.sql = new Sql(connection);
    }

    /** Opens (or creates) the database and brings its schema up to date. */
    public static Database open(Path file) {
        Path abs = file.toAbsolutePath();
        checkHeader(abs);
        Connection c;
        try {
            Path parent = abs.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            SQLiteConfig config = new SQLiteConfig();
            config.enforceForeignKeys(true);
            config.setBusyTimeout(BUSY_TIMEOUT_MS);
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            c = config.createConnection("jdbc:sqlite:" + abs);
        } catch (SQLException e) {
            throw MemoryStoreException.from(abs, "opening", e);
        } catch (IOException e) {
            throw new MemoryStoreException(MemoryStoreException.Kind.FAILED,
                    "Cannot create the folder for " + abs + ": " + e.getMessage(), e);
        }
        Database db = new Database(abs, c);
        try {
            db.prepare();
        } catch (RuntimeException e) {
            db.closeConnection();
            throw e;
        }
        return db;
    }

    public Path file() {
        return file;
    }

    /** Runs work without an explicit transaction (each statement commits on its own). */
    public <T> T read(String action, SqlWork<T> work) {
        lock.lock();
        try {
            ensureOpen();
            return work.apply(sql);
        } catch (SQLException e) {
            throw MemoryStoreException.from(file, action, e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs work in one write transaction ({@code BEGIN IMMEDIATE}); nested calls join the outer one. */
    public <T> T write(String action, SqlWork<T> work) {
        lock.lock();
        try {
            ensureOpen();
            if (txDepth > 0) {
                txDepth++;
                try {
                    return work.apply(sql);
                } finally {
                    txDepth--;
                }
            }
            sql.exec("BEGIN IMMEDIATE");
            txDepth = 1;
            boolean done = false;
            try {
                T result = work.apply(sql);
                sql.exec("COMMIT");
                done = true;
                return result;
            } finally {
                txDepth = 0;
                if (!done) {
                    rollbackQuietly();
                }
            }
        } catch (SQLException e) {
            throw MemoryStoreException.from(file, action, e);
        } finally {
            lock.unlock();
        }
    }

    /** {@code PRAGMA integrity_check} plus the FTS5 indexes' own checks; empty when all is well. */
    public List<String> integrityProblems() {
        return read("checking integrity", s -> {
            List<String> rows = s.list("PRAGMA integrity_check", rs -> rs.getString(1));
            List<String> problems = new java.util.ArrayList<>(rows.stream().filter(r -> !r.equals("ok")).toList());
            for (String fts : List.of("message_fts", "fact_fts", "node_fts")) {
                try {
                    // rank 1 also compares fact_fts with its content table; the others are contentless
                    int withContent = fts.equals("fact_fts") ? 1 : 0;
                    s.exec("INSERT INTO " + fts + "(" + fts + ", rank) VALUES ('integrity-check', " + withContent + ")");
                } catch (SQLException e) {
                    problems.add(fts + ": " + e.getMessage());
                }
            }
            long indexed = s.longValue("SELECT count(*) FROM message_fts");
            long finals = s.longValue("SELECT count(*) FROM messages WHERE status IN ('COMPLETE','INTERRUPTED')");
            if (indexed != finals) {
                problems.add("message_fts holds " + indexed + " rows for " + finals + " final messages");
            }
            long nodesIndexed = s.longValue("SELECT count(*) FROM node_fts");
            long inner = s.longValue("SELECT count(*) FROM nodes WHERE level > 0");
            if (nodesIndexed != inner) {
                problems.add("node_fts holds " + nodesIndexed + " rows for " + inner + " inner nodes");
            }
            List<String> fk = s.list("PRAGMA foreign_key_check", rs -> rs.getString(1) + " row " + rs.getLong(2));
            fk.forEach(r -> problems.add("foreign key: " + r));
            return problems;
        });
    }

    private void prepare() {
        read("opening", s -> {
            String mode = s.one("PRAGMA journal_mode", rs -> rs.getString(1)).orElse("");
            if (!mode.equalsIgnoreCase("wal")) {
                throw new SQLException("journal_mode is " + mode + ", expected wal");
            }
            boolean hasMeta = s.longValue(
                    "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'") > 0;
            if (hasMeta && !"1".equals(s.one("SELECT value FROM meta WHERE key='clean_close'",
                    rs -> rs.getString(1)).orElse("1"))) {
                List<String> check = s.list("PRAGMA quick_check(5)", rs -> rs.getString(1));
                if (!check.equals(List.of("ok"))) {
                    throw MemoryStoreException.damaged(file, String.join("; ", check), null);
                }
            }
            return null;
        });
        Migrator.migrate(this);
        write("opening", s -> s.update(
                "INSERT INTO meta(key, value) VALUES ('clean_close', '0') "
                        + "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    }

    private static void checkHeader(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(HEADER.length);
            if (head.length == 0) {
                return; // an empty file is a new database
            }
            if (!Arrays.equals(head, HEADER)) {
                throw MemoryStoreException.damaged(file, "the file is not a SQLite database", null);
            }
        } catch (IOException e) {
            throw new MemoryStoreException(MemoryStoreException.Kind.FAILED,
                    "Cannot read the memory database at " + file + ": " + e.getMessage(), e);
        }
    }

    private void rollbackQuietly() {
        try {
            sql.exec("ROLLBACK");
        } catch (SQLException ignored) {
            // the transaction may already be gone (SQLite rolls back on some errors)
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new MemoryStoreException(MemoryStoreException.Kind.FAILED, "The memory database at " + file + " is closed");
        }
    }

    /** Marks the file as cleanly closed, checkpoints the WAL and closes the connection. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                sql.update("UPDATE meta SET value = '1' WHERE key = 'clean_close'");
                sql.exec("PRAGMA optimize");
                sql.exec("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                // closing still proceeds; the next open runs a quick check
            }
            closeConnection();
        } finally {
            lock.unlock();
        }
    }

    private void closeConnection() {
        closed = true;
        sql.closeAll();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to protect
        }
    }
}
