package dev.canopy.memory.fact;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.MessageId;

import dev.canopy.memory.db.Sql;
import dev.canopy.memory.text.FtsQuery;
import dev.canopy.memory.text.Terms;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Facts, their sources and their entity links. Every method runs inside the caller's unit of work
 * ({@link Sql}); tree routing is the caller's job (see {@code dev.canopy.memory.forest.Router}).
 */
public final class FactStore {

    private static final String SEP = "; ";

    private FactStore() {
    }

    public static long insert(Sql s, NewFact f, FactOrigin origin, Instant now) throws SQLException {
        long id = s.insert("""
                INSERT INTO facts(text, norm, role, origin, ts, valid_from, valid_to, participants, entities,
                  topics, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                f.text(), Terms.normalize(f.text()), f.role(), origin, f.ts(), f.validFrom(), f.validTo(),
                join(f.participants()), join(f.entities()), join(f.topics()), now, now);
        EntityStore.linkNames(s, id, f.entities(), f.participants());
        return id;
    }

    public static void addSource(Sql s, long factId, long conversationId, Long cellId, Long messageId)
            throws SQLException {
        s.update("INSERT INTO fact_sources(fact_id, conversation_id, cell_id, message_id) VALUES (?,?,?,?)",
                factId, conversationId, cellId, messageId);
    }

    public static Optional<Fact> get(Sql s, long id) throws SQLException {
        return s.one("SELECT * FROM facts WHERE id = ?", FactStore::fact, id);
    }

    public static List<Fact> getAll(Sql s, List<Long> ids) throws SQLException {
        List<Fact> out = new ArrayList<>();
        for (long id : ids) {
            get(s, id).ifPresent(out::add);
        }
        return out;
    }

    /** Newest first. */
    public static List<Fact> list(Sql s, int offset, int limit) throws SQLException {
        return s.list("SELECT * FROM facts ORDER BY ts DESC, id DESC LIMIT ? OFFSET ?", FactStore::fact, limit, offset);
    }

    public static long count(Sql s) throws SQLException {
        return s.longValue("SELECT count(*) FROM facts");
    }

    /** Facts matching any content word of the query, best BM25 first. */
    public static List<FactHit> search(Sql s, String query, int limit) throws SQLException {
        String match = FtsQuery.anyOf(query);
        if (match.isEmpty()) {
            return List.of();
        }
        return s.list("""
                SELECT f.*, bm25(fact_fts, 1.0, 0.5, 0.5) AS score FROM fact_fts JOIN facts f ON f.id = fact_fts.rowid
                WHERE fact_fts MATCH ? ORDER BY score LIMIT ?""",
                rs -> new FactHit(fact(rs), -rs.getDouble("score")), match, limit);
    }

    public static List<FactSource> sources(Sql s, long factId) throws SQLException {
        return s.list("SELECT fact_id, conversation_id, cell_id, message_id FROM fact_sources WHERE fact_id = ?",
                rs -> new FactSource(new FactId(rs.getLong(1)), new ConversationId(rs.getLong(2)), Sql.nullableLong(rs, "cell_id"),
                        messageId(Sql.nullableLong(rs, "message_id"))), factId);
    }

    private static MessageId messageId(Long id) {
        return id == null ? null : new MessageId(id);
    }

    /** New text from the user; the topic labels derived from the old text are dropped. */
    public static void updateText(Sql s, long id, String text, Instant now) throws SQLException {
        s.update("UPDATE facts SET text = ?, norm = ?, topics = '', origin = 'USER', updated_at = ? WHERE id = ?",
                text, Terms.normalize(text), now, id);
    }

    /** Deletes the fact row; it must already be out of every tree (a foreign key enforces this). */
    public static void delete(Sql s, long id) throws SQLException {
        s.update("DELETE FROM facts WHERE id = ?", id);
    }

    /** Facts every source of which lies in this conversation: what forgetting it must delete. */
    public static List<Long> derivedOnlyFrom(Sql s, long conversationId) throws SQLException {
        return s.longs("""
                SELECT DISTINCT fs.fact_id FROM fact_sources fs WHERE fs.conversation_id = ?
                  AND NOT EXISTS (SELECT 1 FROM fact_sources o WHERE o.fact_id = fs.fact_id AND o.conversation_id <> ?)""",
                conversationId, conversationId);
    }

    public static List<String> split(String joined) {
        if (joined == null || joined.isBlank()) {
            return List.of();
        }
        return Arrays.stream(joined.split(";")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    static String join(List<String> values) {
        return String.join(SEP, values.stream().map(v -> v.replace(';', ',').trim()).filter(v -> !v.isEmpty()).toList());
    }

    public static Fact fact(ResultSet rs) throws SQLException {
        return new Fact(rs.getLong("id"), rs.getString("text"), FactRole.parse(rs.getString("role")),
                FactOrigin.valueOf(rs.getString("origin")), Instant.ofEpochMilli(rs.getLong("ts")),
                rs.getString("valid_from"), rs.getString("valid_to"), split(rs.getString("participants")),
                split(rs.getString("entities")), split(rs.getString("topics")),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}
