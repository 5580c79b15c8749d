package dev.canopy.memory.db;

import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Every failure of the memory store. {@link #kind()} tells the caller what went wrong without
 * parsing messages; the message itself is meant for the user.
 */
public final class MemoryStoreException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** The file is not a SQLite database, or SQLite found it corrupt. Nothing was changed. */
        DAMAGED,
        /** The file was written by a newer Canopy (higher schema version). */
        TOO_NEW,
        /** Another process holds the database longer than the busy timeout. */
        BUSY,
        /** The thing asked for does not exist. */
        NOT_FOUND,
        /** The caller passed something invalid (an import file, an argument). */
        INVALID,
        /** Anything else (disk full, I/O error...). */
        FAILED
    }

    private final Kind kind;

    public MemoryStoreException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public MemoryStoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The exception for a database that cannot be read as a valid SQLite file. */
    public static MemoryStoreException damaged(Path file, String detail, Throwable cause) {
        return new MemoryStoreException(Kind.DAMAGED,
                "The memory database at " + file + " is damaged: " + detail
                        + ". Nothing was changed; restore a backup or move the file away to start fresh.",
                cause);
    }

    /** Translates a JDBC failure into the right kind, naming the file. */
    public static MemoryStoreException from(Path file, String action, SQLException e) {
        int primary = primaryCode(e);
        if (primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
            return damaged(file, e.getMessage(), e);
        }
        if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code) {
            return new MemoryStoreException(Kind.BUSY,
                    "The memory database at " + file + " is in use by another process (" + action + ")", e);
        }
        return new MemoryStoreException(Kind.FAILED,
                "Memory database error while " + action + " (" + file + "): " + e.getMessage(), e);
    }

    private static int primaryCode(SQLException e) {
        if (e instanceof SQLiteException se && se.getResultCode() != null) {
            return se.getResultCode().code & 0xff;
        }
        return e.getErrorCode() & 0xff;
    }
}
