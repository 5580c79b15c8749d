package dev.canopy.memory.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void newFileGetsTheSchemaWalForeignKeysAndBusyTimeout() {
        try (Database db = Database.open(dir.resolve("sub/new.db"))) {
            assertThat(db.<Long>read("v", s -> s.longValue("PRAGMA user_version"))).isEqualTo((long) Migrator.latestVersion());
            assertThat(db.<String>read("j", s -> s.one("PRAGMA journal_mode", rs -> rs.getString(1)).orElseThrow())).isEqualTo("wal");
            assertThat(db.<Long>read("f", s -> s.longValue("PRAGMA foreign_keys"))).isEqualTo(1L);
            assertThat(db.<Long>read("b", s -> s.longValue("PRAGMA busy_timeout"))).isPositive();
            assertThat(db.<Long>read("t", s -> s.longValue(
                    "SELECT count(*) FROM sqlite_master WHERE name IN ('message_fts','fact_fts','node_fts')"))).isEqualTo(3L);
            assertThat(db.integrityProblems()).isEmpty();
        }
    }

    @Test
    void reopeningKeepsDataAndDoesNotMigrateAgain() {
        Path file = dir.resolve("re.db");
        try (Database db = Database.open(file)) {
            db.write("w", s -> s.update("INSERT INTO meta(key, value) VALUES ('x', 'y')"));
        }
        try (Database db = Database.open(file)) {
            assertThat(db.<java.util.Optional<String>>read("r", s -> s.one("SELECT value FROM meta WHERE key = 'x'", rs -> rs.getString(1))))
                    .contains("y");
            assertThat(db.<java.util.Optional<String>>read("c", s -> s.one("SELECT value FROM meta WHERE key = 'clean_close'", rs -> rs.getString(1))))
                    .contains("0");
        }
    }

    @Test
    void failedTransactionRollsBackEverything() {
        try (Database db = Database.open(dir.resolve("tx.db"))) {
            assertThatThrownBy(() -> db.write("w", s -> {
                s.update("INSERT INTO meta(key, value) VALUES ('a', '1')");
                s.update("INSERT INTO meta(key, value) VALUES ('a', '2')"); // primary key violation
                return null;
            })).isInstanceOf(MemoryStoreException.class);
            assertThat(db.<Long>read("r", s -> s.longValue("SELECT count(*) FROM meta WHERE key = 'a'"))).isZero();
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsReportedAsDamaged() throws Exception {
        Path file = dir.resolve("notes.db");
        Files.writeString(file, "these are my notes, not a database".repeat(20));
        assertThatThrownBy(() -> Database.open(file))
                .isInstanceOfSatisfying(MemoryStoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(MemoryStoreException.Kind.DAMAGED);
                    assertThat(e.getMessage()).contains("The memory database at").contains("is damaged");
                });
        assertThat(Files.readString(file)).startsWith("these are my notes"); // untouched
    }

    @Test
    void aCorruptedDatabaseIsReportedAsDamaged() throws Exception {
        Path file = dir.resolve("corrupt.db");
        try (Database db = Database.open(file)) {
            db.write("fill", s -> {
                for (int i = 0; i < 2000; i++) {
                    s.update("INSERT INTO meta(key, value) VALUES (?, ?)", "k" + i, "value ".repeat(20) + i);
                }
                return null;
            });
        }
        byte[] garbage = "#".repeat(4096).getBytes(StandardCharsets.US_ASCII);
        try (var ch = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
            ch.position(4096 * 3); // past the header: page 4 onwards
            ch.write(java.nio.ByteBuffer.wrap(garbage));
            ch.position(4096 * 8);
            ch.write(java.nio.ByteBuffer.wrap(garbage));
        }
        assertThatThrownBy(() -> {
            try (Database db = Database.open(file)) {
                db.read("scan", s -> s.longValue("SELECT count(*) FROM meta WHERE value LIKE '%9'"));
                if (!db.integrityProblems().isEmpty()) {
                    throw MemoryStoreException.damaged(file, "integrity check failed", null);
                }
            }
        }).isInstanceOfSatisfying(MemoryStoreException.class,
                e -> assertThat(e.kind()).isEqualTo(MemoryStoreException.Kind.DAMAGED));
    }

    @Test
    void aNewerSchemaIsRefused() throws Exception {
        Path file = dir.resolve("future.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("PRAGMA user_version = 999");
        }
        assertThatThrownBy(() -> Database.open(file))
                .isInstanceOfSatisfying(MemoryStoreException.class,
                        e -> assertThat(e.kind()).isEqualTo(MemoryStoreException.Kind.TOO_NEW));
    }

    @Test
    void version2BackfillsEntitySessionsAndTriggersKeepThemUp() throws Exception {
        Path file = dir.resolve("v1.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            for (String statement : Schema.migrations().getFirst().statements()) {
                st.execute(statement);
            }
            st.execute("PRAGMA user_version = 1");
            st.execute("INSERT INTO conversations(id, created_at, updated_at) VALUES (1, 0, 0)");
            st.execute("INSERT INTO cells(id, conversation_id, session_no, first_message_id, last_message_id, t_start, t_end,"
                    + " text, status) VALUES (1, 1, 0, 1, 2, 0, 0, 'x', 'EXTRACTED'), (2, 1, 3, 3, 4, 0, 0, 'y', 'EXTRACTED')");
            st.execute("INSERT INTO facts(id, text, norm, role, origin, ts, created_at, updated_at) VALUES"
                    + " (1, 'a', 'a', 'DETAIL', 'USER', 0, 0, 0), (2, 'b', 'b', 'DETAIL', 'USER', 0, 0, 0)");
            st.execute("INSERT INTO entities(id, name, display) VALUES (1, 'lea', 'Lea')");
            st.execute("INSERT INTO fact_entities(fact_id, entity_id) VALUES (1, 1)");
            st.execute("INSERT INTO fact_sources(fact_id, conversation_id, cell_id) VALUES (1, 1, 1)");
        }
        try (Database db = Database.open(file)) {
            String sessions = "SELECT group_concat(session_no) FROM (SELECT session_no FROM entity_sessions"
                    + " WHERE entity_id = 1 ORDER BY session_no)";
            assertThat(db.<String>read("r", s -> s.one(sessions, rs -> rs.getString(1)).orElseThrow())).isEqualTo("0");
            db.write("w", s -> {
                s.update("INSERT INTO fact_sources(fact_id, conversation_id, cell_id) VALUES (2, 1, 2)"); // not Lea's yet
                s.update("INSERT INTO fact_entities(fact_id, entity_id) VALUES (2, 1)"); // now it is
                return null;
            });
            assertThat(db.<String>read("r", s -> s.one(sessions, rs -> rs.getString(1)).orElseThrow())).isEqualTo("0,3");
            db.write("w", s -> s.update("DELETE FROM conversations WHERE id = 1"));
            assertThat(db.<Long>read("r", s -> s.longValue("SELECT count(*) FROM entity_sessions"))).isZero();
        }
    }
}
