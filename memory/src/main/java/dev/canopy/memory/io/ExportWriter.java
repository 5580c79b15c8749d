package dev.canopy.memory.io;

import dev.canopy.memory.db.Sql;
import dev.canopy.memory.fact.FactStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the database into an {@link ExportFormat.File}. */
final class ExportWriter {

    private ExportWriter() {
    }

    static ExportFormat.File collect(Sql s) throws SQLException {
        Map<Long, Integer> seqOfMessage = new HashMap<>();
        List<ExportFormat.Conversation> conversations = new ArrayList<>();
        for (long cid : s.longs("SELECT id FROM conversations ORDER BY id")) {
            List<ExportFormat.Message> messages = s.list("SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq",
                    rs -> {
                        seqOfMessage.put(rs.getLong("id"), rs.getInt("seq"));
                        return new ExportFormat.Message(rs.getInt("seq"), rs.getInt("session_no"), rs.getString("role"),
                                rs.getString("author"), rs.getString("content"), rs.getString("status"),
                                rs.getString("model"), rs.getString("settings"), rs.getLong("created_at"),
                                Sql.nullableLong(rs, "first_token_at"), Sql.nullableLong(rs, "finished_at"),
                                nullableInt(Sql.nullableLong(rs, "prompt_tokens")), rs.getInt("generated_tokens"),
                                rs.getString("error"), rs.getString("external_ref"));
                    }, cid);
            List<ExportFormat.Cell> cells = s.list("SELECT * FROM cells WHERE conversation_id = ? ORDER BY id",
                    rs -> new ExportFormat.Cell(rs.getLong("id"), rs.getInt("session_no"),
                            seqOfMessage.getOrDefault(rs.getLong("first_message_id"), 0),
                            seqOfMessage.getOrDefault(rs.getLong("last_message_id"), 0), rs.getLong("t_start"),
                            rs.getLong("t_end"), rs.getString("text"), rs.getString("summary"), rs.getString("status")),
                    cid);
            conversations.add(s.one("SELECT * FROM conversations WHERE id = ?",
                    rs -> new ExportFormat.Conversation(cid, rs.getString("title"), rs.getString("model"),
                            rs.getString("settings"), rs.getInt("memory_enabled") != 0, rs.getLong("created_at"),
                            rs.getLong("updated_at"), seqOfMessage.getOrDefault(rs.getLong("memory_cursor"), 0),
                            messages, cells), cid).orElseThrow());
        }
        List<ExportFormat.Entity> entities = s.list("SELECT display, is_user FROM entities ORDER BY id",
                rs -> new ExportFormat.Entity(rs.getString(1), rs.getInt(2) != 0));
        List<ExportFormat.Fact> facts = new ArrayList<>();
        for (var f : s.list("SELECT * FROM facts ORDER BY id", FactStore::fact)) {
            List<String> links = s.list("""
                    SELECT e.display FROM fact_entities fe JOIN entities e ON e.id = fe.entity_id WHERE fe.fact_id = ?
                    ORDER BY e.id""", rs -> rs.getString(1), f.id());
            List<ExportFormat.Source> sources = new ArrayList<>();
            for (var src : FactStore.sources(s, f.id())) {
                Integer seq = src.messageId() == null ? null : seqOfMessage.get(src.messageId().value());
                sources.add(new ExportFormat.Source(src.conversationId().value(), src.cellId(), seq));
            }
            facts.add(new ExportFormat.Fact(f.text(), f.role().name(), f.origin().name(), f.ts().toEpochMilli(),
                    f.validFrom(), f.validTo(), f.participants(), f.entities(), f.topics(),
                    f.createdAt().toEpochMilli(), f.updatedAt().toEpochMilli(), links, sources));
        }
        return new ExportFormat.File(ExportFormat.FORMAT, ExportFormat.VERSION, System.currentTimeMillis(),
                conversations, entities, facts);
    }

    private static Integer nullableInt(Long v) {
        return v == null ? null : v.intValue();
    }
}
