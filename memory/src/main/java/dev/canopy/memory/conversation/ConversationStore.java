package dev.canopy.memory.conversation;

import dev.canopy.memory.db.MemoryStoreException;
import dev.canopy.memory.db.Database;
import dev.canopy.memory.db.Sql;
import dev.canopy.memory.text.FtsQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Conversations and their messages. Deleting a conversation is a memory operation (it forgets what
 * was derived from it) and lives in {@code MemoryStore#forgetConversation}.
 */
public final class ConversationStore {

    static final String MESSAGE_COLUMNS = "id, conversation_id, seq, session_no, role, author, content, status, "
            + "model, settings, created_at, first_token_at, finished_at, prompt_tokens, generated_tokens, error, "
            + "external_ref";

    private final Database db;
    private final InstantSource clock;

    public ConversationStore(Database db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
    }

    public ConversationRow create(String title, String model, String settings) {
        Instant now = clock.instant();
        long id = db.write("creating a conversation", s -> s.insert(
                "INSERT INTO conversations(title, model, settings, created_at, updated_at) VALUES (?,?,?,?,?)",
                title == null ? "" : title, model, settings, now, now));
        return get(new ConversationId(id)).orElseThrow();
    }

    public Optional<ConversationRow> get(ConversationId id) {
        return db.read("reading a conversation", s -> s.one(
                "SELECT * FROM conversations WHERE id = ?", ConversationStore::conversation, id));
    }

    /** All conversations, most recently updated first. */
    public List<ConversationRow> list() {
        return db.read("listing conversations", s -> s.list(
                "SELECT * FROM conversations ORDER BY updated_at DESC, id DESC", ConversationStore::conversation));
    }

    public void rename(ConversationId id, String title) {
        touch(id, "renaming a conversation", "UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?", title);
    }

    public void updateSettings(ConversationId id, String model, String settings) {
        Instant now = clock.instant();
        int n = db.write("updating settings", s -> s.update(
                "UPDATE conversations SET model = ?, settings = ?, updated_at = ? WHERE id = ?", model, settings, now, id));
        requireFound(n, id);
    }

    /** Memory off: this conversation is neither remembered nor given recalled memories. */
    public void setMemoryEnabled(ConversationId id, boolean enabled) {
        int n = db.write("switching memory", s -> s.update(
                "UPDATE conversations SET memory_enabled = ? WHERE id = ?", enabled, id));
        requireFound(n, id);
    }

    /** Stores a finished message (typically the user's). */
    public Message add(ConversationId conversationId, NewMessage m) {
        long id = db.write("storing a message", s -> insert(s, conversationId, m, MessageStatus.COMPLETE));
        return message(new MessageId(id)).orElseThrow();
    }

    /**
     * Stores an empty PENDING message before generation starts and returns the writer that streams
     * tokens into it. See {@link MessageWriter} for the crash guarantee.
     */
    public MessageWriter startMessage(ConversationId conversationId, NewMessage m, Duration flushInterval) {
        long id = db.write("starting a message", s -> insert(s, conversationId, m, MessageStatus.PENDING));
        return new MessageWriter(db, clock, new MessageId(id), flushInterval);
    }

    /** {@link #startMessage(ConversationId, NewMessage, Duration)} writing every token as it arrives. */
    public MessageWriter startMessage(ConversationId conversationId, NewMessage m) {
        return startMessage(conversationId, m, Duration.ZERO);
    }

    /**
     * Removes {@code messageId} and every later message of its conversation (regenerate, edit and
     * resend). What memory already learned from them stays until the user forgets it. Returns how
     * many messages went.
     */
    public int deleteFrom(ConversationId conversationId, MessageId messageId) {
        return db.write("deleting messages", s -> s.update("""
                DELETE FROM messages WHERE conversation_id = ?
                  AND seq >= (SELECT seq FROM messages WHERE id = ? AND conversation_id = ?)""",
                conversationId, messageId, conversationId));
    }

    /** Replaces a message's settings (the app keeps a finished answer's statistics there, as JSON). */
    public void updateMessageSettings(MessageId messageId, String settings) {
        int n = db.write("updating a message", s -> s.update("UPDATE messages SET settings = ? WHERE id = ?", settings, messageId));
        if (n == 0) throw new MemoryStoreException(MemoryStoreException.Kind.NOT_FOUND, "No message with id " + messageId);
    }

    public Optional<Message> message(MessageId id) {
        return db.read("reading a message", s -> s.one(
                "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id = ?", ConversationStore::message, id));
    }

    public List<Message> messages(ConversationId conversationId) {
        return db.read("reading messages", s -> s.list(
                "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE conversation_id = ? ORDER BY seq",
                ConversationStore::message, conversationId));
    }

    /** Full-text search over all final messages; the last word matches as a prefix. */
    public List<MessageHit> search(String query, int limit) {
        String match = FtsQuery.allOfWithPrefix(query);
        if (match.isEmpty()) {
            return List.of();
        }
        return db.read("searching messages", s -> s.list("""
                SELECT m.id, m.conversation_id, c.title, m.role, m.content, bm25(message_fts) AS score
                FROM message_fts JOIN messages m ON m.id = message_fts.rowid
                JOIN conversations c ON c.id = m.conversation_id
                WHERE message_fts MATCH ? ORDER BY score LIMIT ?""",
                rs -> new MessageHit(new MessageId(rs.getLong(1)), new ConversationId(rs.getLong(2)), rs.getString(3), Role.valueOf(rs.getString(4)),
                        Snippets.of(rs.getString(5), query), -rs.getDouble(6)), match, limit));
    }

    /**
     * Marks messages left PENDING or STREAMING by a crash as INTERRUPTED (their text is kept).
     * Call once at start-up. Returns how many there were.
     */
    public int recoverInterrupted() {
        Instant now = clock.instant();
        return db.write("recovering interrupted messages", s -> s.update("""
                UPDATE messages SET status = 'INTERRUPTED', finished_at = ?,
                  error = 'interrupted: the app stopped while this message was being written'
                WHERE status IN ('PENDING','STREAMING')""", now));
    }

    private long insert(Sql s, ConversationId conversationId, NewMessage m, MessageStatus status) throws SQLException {
        Instant at = m.createdAt() != null ? m.createdAt() : clock.instant();
        var last = s.one("SELECT seq, session_no, created_at FROM messages WHERE conversation_id = ? "
                        + "ORDER BY seq DESC LIMIT 1",
                rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, conversationId);
        if (s.longValue("SELECT count(*) FROM conversations WHERE id = ?", conversationId) == 0) {
            throw notFound(conversationId);
        }
        int seq = last.map(l -> (int) l[0] + 1).orElse(1);
        int session = last.map(l -> at.toEpochMilli() - l[2] > Sessions.GAP.toMillis() ? (int) l[1] + 1 : (int) l[1])
                .orElse(1);
        long id = s.insert("""
                INSERT INTO messages(conversation_id, seq, session_no, role, author, content, status, model,
                  settings, created_at, finished_at, external_ref) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                conversationId, seq, session, m.role(), m.author(), m.content(), status, m.model(), m.settings(),
                at, status.isFinal() ? at : null, m.externalRef());
        s.update("UPDATE conversations SET updated_at = max(updated_at, ?) WHERE id = ?", at, conversationId);
        return id;
    }

    private void touch(ConversationId id, String action, String sql, String value) {
        Instant now = clock.instant();
        int n = db.write(action, s -> s.update(sql, value, now, id));
        requireFound(n, id);
    }

    private static void requireFound(int updated, ConversationId id) {
        if (updated == 0) {
            throw notFound(id);
        }
    }

    private static MemoryStoreException notFound(ConversationId id) {
        return new MemoryStoreException(MemoryStoreException.Kind.NOT_FOUND, "No conversation with id " + id);
    }

    static ConversationRow conversation(ResultSet rs) throws SQLException {
        return new ConversationRow(new ConversationId(rs.getLong("id")), rs.getString("title"), rs.getString("model"),
                rs.getString("settings"), rs.getInt("memory_enabled") != 0,
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    static Message message(ResultSet rs) throws SQLException {
        Long first = Sql.nullableLong(rs, "first_token_at");
        Long finished = Sql.nullableLong(rs, "finished_at");
        Long prompt = Sql.nullableLong(rs, "prompt_tokens");
        Timings t = new Timings(first == null ? null : Instant.ofEpochMilli(first),
                finished == null ? null : Instant.ofEpochMilli(finished),
                prompt == null ? null : prompt.intValue(), rs.getInt("generated_tokens"));
        return new Message(new MessageId(rs.getLong("id")), new ConversationId(rs.getLong("conversation_id")), rs.getInt("seq"),
                rs.getInt("session_no"), Role.valueOf(rs.getString("role")), rs.getString("author"),
                rs.getString("content"), MessageStatus.valueOf(rs.getString("status")), rs.getString("model"),
                rs.getString("settings"), Instant.ofEpochMilli(rs.getLong("created_at")), t,
                rs.getString("error"), rs.getString("external_ref"));
    }
}
