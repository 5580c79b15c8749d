package dev.canopy.memory.ingest;

import dev.canopy.memory.conversation.Message;
import dev.canopy.memory.conversation.MessageStatus;
import dev.canopy.memory.conversation.Role;
import dev.canopy.memory.db.Sql;
import dev.canopy.memory.extract.Cell;
import dev.canopy.memory.extract.Turn;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts new messages into cells of two turns: a cell never spans two sessions (sessions are cut at
 * gaps of more than 6 h) and never grows past {@value #MAX_CHARS} characters. Only final messages
 * are cut, in order, up to the first one still being generated; the conversation's cursor
 * remembers how far it got. A last lone turn waits for its partner unless {@code flushPartial}.
 */
public final class CellCutter {

    static final int TURNS_PER_CELL = 2;
    static final int MAX_CHARS = 8_000;

    private record Msg(long id, int session, Role role, String author, String content, MessageStatus status,
                       long at) {
    }

    private CellCutter() {
    }

    /** Cuts every memory-enabled conversation; returns the number of new cells. */
    public static int cutAll(Sql s, boolean flushPartial) throws SQLException {
        int n = 0;
        for (long conv : s.longs("SELECT id FROM conversations WHERE memory_enabled = 1 ORDER BY id")) {
            n += cut(s, conv, flushPartial);
        }
        return n;
    }

    static int cut(Sql s, long conversationId, boolean flushPartial) throws SQLException {
        long cursor = s.longValue("SELECT memory_cursor FROM conversations WHERE id = ?", conversationId);
        List<Msg> msgs = s.list("""
                SELECT id, session_no, role, author, content, status, created_at FROM messages
                WHERE conversation_id = ? AND id > ? ORDER BY seq""",
                rs -> new Msg(rs.getLong(1), rs.getInt(2), Role.valueOf(rs.getString(3)), rs.getString(4),
                        rs.getString(5), MessageStatus.valueOf(rs.getString(6)), rs.getLong(7)),
                conversationId, cursor);
        List<Msg> open = new ArrayList<>();
        int chars = 0;
        int cells = 0;
        long consumed = cursor;
        for (Msg m : msgs) {
            if (m.status() == MessageStatus.PENDING || m.status() == MessageStatus.STREAMING) {
                break;
            }
            boolean usable = m.status().isFinal() && m.role() != Role.SYSTEM && !m.content().isBlank();
            if (!usable) {
                if (open.isEmpty()) {
                    consumed = m.id();
                }
                continue;
            }
            if (!open.isEmpty() && (open.getFirst().session() != m.session() || chars + m.content().length() > MAX_CHARS)) {
                consumed = store(s, conversationId, open);
                cells++;
                open.clear();
                chars = 0;
            }
            open.add(m);
            chars += m.content().length();
            if (open.size() == TURNS_PER_CELL) {
                consumed = store(s, conversationId, open);
                cells++;
                open.clear();
                chars = 0;
            }
        }
        if (!open.isEmpty() && flushPartial) {
            consumed = store(s, conversationId, open);
            cells++;
        }
        s.update("UPDATE conversations SET memory_cursor = ? WHERE id = ?", consumed, conversationId);
        return cells;
    }

    private static long store(Sql s, long conversationId, List<Msg> turns) throws SQLException {
        StringBuilder text = new StringBuilder();
        for (Msg m : turns) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(Message.speaker(m.role(), m.author())).append(": ").append(m.content());
        }
        Msg first = turns.getFirst();
        Msg last = turns.getLast();
        s.insert("""
                INSERT INTO cells(conversation_id, session_no, first_message_id, last_message_id, t_start, t_end, text,
                  status) VALUES (?,?,?,?,?,?,?,'PENDING')""",
                conversationId, first.session(), first.id(), last.id(), first.at(), last.at(), text.toString());
        return last.id();
    }

    /** Cells still waiting for extraction, oldest first, with their turns. */
    public static List<Cell> pending(Sql s, int limit) throws SQLException {
        List<Object[]> rows = s.list("""
                SELECT id, conversation_id, session_no, first_message_id, last_message_id, t_start, t_end
                FROM cells WHERE status = 'PENDING' ORDER BY id LIMIT ?""",
                rs -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7)}, limit);
        List<Cell> cells = new ArrayList<>();
        for (Object[] r : rows) {
            List<Turn> turns = s.list("""
                    SELECT id, role, author, content, created_at FROM messages
                    WHERE conversation_id = ? AND id BETWEEN ? AND ? AND role <> 'SYSTEM'
                      AND status IN ('COMPLETE','INTERRUPTED') AND content <> '' ORDER BY seq""",
                    rs -> {
                        Role role = Role.valueOf(rs.getString(2));
                        return new Turn(rs.getLong(1), role, Message.speaker(role, rs.getString(3)), rs.getString(4),
                                Instant.ofEpochMilli(rs.getLong(5)));
                    }, r[1], r[3], r[4]);
            cells.add(new Cell((long) r[0], (long) r[1], (int) r[2], Instant.ofEpochMilli((long) r[5]),
                    Instant.ofEpochMilli((long) r[6]), turns));
        }
        return cells;
    }
}
