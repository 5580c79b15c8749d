package dev.canopy.memory.io;

import dev.canopy.memory.db.MemoryStoreException;
import dev.canopy.memory.db.Sql;
import dev.canopy.memory.fact.EntityStore;
import dev.canopy.memory.fact.FactOrigin;
import dev.canopy.memory.fact.FactRole;
import dev.canopy.memory.fact.FactStore;
import dev.canopy.memory.fact.NewFact;
import dev.canopy.memory.forest.Router;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Writes an {@link ExportFormat.File} into the database (inside the caller's transaction). */
final class ExportReader {

    private final Sql s;
    private final Router router;
    private final InstantSource clock;
    private final Map<Long, Long> conversationIds = new HashMap<>();
    private final Map<Long, Map<Integer, Long>> messageIds = new HashMap<>();
    private final Map<Long, Long> cellIds = new HashMap<>();

    ExportReader(Sql s, Router router, InstantSource clock) {
        this.s = s;
        this.router = router;
        this.clock = clock;
    }

    MemoryExport.ImportReport load(ExportFormat.File file) throws SQLException {
        int messages = 0;
        for (ExportFormat.Conversation c : nonNull(file.conversations())) {
            messages += conversation(c);
        }
        for (ExportFormat.Entity e : nonNull(file.entities())) {
            EntityStore.ensure(s, e.display(), e.user());
        }
        int added = 0;
        int merged = 0;
        for (ExportFormat.Fact f : nonNull(file.facts())) {
            if (fact(f)) {
                added++;
            } else {
                merged++;
            }
        }
        return new MemoryExport.ImportReport(conversationIds.size(), messages, added, merged);
    }

    private int conversation(ExportFormat.Conversation c) throws SQLException {
        long id = s.insert("INSERT INTO conversations(title, model, settings, memory_enabled, created_at, updated_at) "
                + "VALUES (?,?,?,?,?,?)", c.title() == null ? "" : c.title(), c.model(), c.settings(), c.memoryEnabled(),
                c.createdAt(), c.updatedAt());
        conversationIds.put(c.ref(), id);
        Map<Integer, Long> bySeq = new HashMap<>();
        messageIds.put(c.ref(), bySeq);
        for (ExportFormat.Message m : nonNull(c.messages())) {
            bySeq.put(m.seq(), s.insert("""
                    INSERT INTO messages(conversation_id, seq, session_no, role, author, content, status, model, settings,
                      created_at, first_token_at, finished_at, prompt_tokens, generated_tokens, error, external_ref)
                    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", id, m.seq(), m.sessionNo(), m.role(), m.author(),
                    m.content(), m.status(), m.model(), m.settings(), m.createdAt(), m.firstTokenAt(), m.finishedAt(),
                    m.promptTokens(), m.generatedTokens(), m.error(), m.externalRef()));
        }
        s.update("UPDATE conversations SET memory_cursor = ? WHERE id = ?", bySeq.getOrDefault(c.memoryCursorSeq(), 0L), id);
        for (ExportFormat.Cell cell : nonNull(c.cells())) {
            Long first = bySeq.get(cell.firstSeq());
            Long last = bySeq.get(cell.lastSeq());
            if (first == null || last == null) {
                throw new MemoryStoreException(MemoryStoreException.Kind.INVALID, "cell " + cell.ref()
                        + " names messages the file does not contain");
            }
            long cellId = s.insert("""
                    INSERT INTO cells(conversation_id, session_no, first_message_id, last_message_id, t_start, t_end, text,
                      summary, status) VALUES (?,?,?,?,?,?,?,?,?)""", id, cell.sessionNo(), first, last, cell.tStart(),
                    cell.tEnd(), cell.text(), cell.summary() == null ? "" : cell.summary(), cell.status());
            cellIds.put(cell.ref(), cellId);
            if ("EXTRACTED".equals(cell.status())) {
                router.routeCell(s, cellId);
            }
        }
        return bySeq.size();
    }

    /** Returns true when a new fact was stored, false when it merged into an existing one. */
    private boolean fact(ExportFormat.Fact f) throws SQLException {
        var existing = s.one("SELECT id FROM facts WHERE norm = ?", rs -> rs.getLong(1),
                dev.canopy.memory.text.Terms.normalize(f.text()));
        long id;
        if (existing.isPresent()) {
            id = existing.get();
        } else {
            NewFact nf = new NewFact(f.text(), FactRole.parse(f.role()), Instant.ofEpochMilli(f.ts()), f.validFrom(),
                    f.validTo(), nonNull(f.participants()), nonNull(f.entities()), nonNull(f.topics()), null);
            FactOrigin origin = f.origin() == null ? FactOrigin.IMPORTED : FactOrigin.valueOf(f.origin());
            id = FactStore.insert(s, nf, origin, clock.instant());
            for (String e : nonNull(f.entityLinks())) {
                EntityStore.link(s, id, EntityStore.ensure(s, e, false));
            }
        }
        for (ExportFormat.Source src : nonNull(f.sources())) {
            Long conv = conversationIds.get(src.conversation());
            if (conv == null) {
                continue;
            }
            Long cell = src.cell() == null ? null : cellIds.get(src.cell());
            Long msg = src.messageSeq() == null ? null : messageIds.get(src.conversation()).get(src.messageSeq());
            FactStore.addSource(s, id, conv, cell, msg);
        }
        if (existing.isEmpty()) {
            router.routeFact(s, id);
        }
        return existing.isEmpty();
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
