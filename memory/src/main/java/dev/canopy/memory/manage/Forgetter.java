package dev.canopy.memory.manage;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.db.Database;
import dev.canopy.memory.db.MemoryStoreException;
import dev.canopy.memory.db.Sql;
import dev.canopy.memory.fact.EntityStore;
import dev.canopy.memory.fact.FactStore;
import dev.canopy.memory.forest.Router;
import dev.canopy.memory.summarize.Refresher;
import java.sql.SQLException;
import java.util.List;

/**
 * Forgets a conversation and everything derived from it, in one transaction: its messages (and
 * their search index), cells, session trees, the facts found only in it (out of every entity and
 * scene tree, the fact index and the vectors), and its source links on facts it shares with other
 * conversations. Summaries on the affected tree paths are blanked in the same transaction, then
 * rewritten from what remains, so no summary keeps forgotten text.
 */
public final class Forgetter {

    private final Database db;
    private final Router router;
    private final Refresher refresher;

    public Forgetter(Database db, Router router, Refresher refresher) {
        this.db = db;
        this.router = router;
        this.refresher = refresher;
    }

    public ForgetReport forget(ConversationId conversationId) {
        ForgetReport report = db.write("forgetting a conversation", s -> forgetIn(s, conversationId));
        refresher.refresh();
        return report;
    }

    private ForgetReport forgetIn(Sql s, ConversationId conversationId) throws SQLException {
        if (s.longValue("SELECT count(*) FROM conversations WHERE id = ?", conversationId) == 0) {
            throw new MemoryStoreException(MemoryStoreException.Kind.NOT_FOUND, "No conversation with id " + conversationId);
        }
        int messages = (int) s.longValue("SELECT count(*) FROM messages WHERE conversation_id = ?", conversationId);
        int cells = (int) s.longValue("SELECT count(*) FROM cells WHERE conversation_id = ?", conversationId);
        List<Long> facts = FactStore.derivedOnlyFrom(s, conversationId.value());
        int treesBefore = (int) s.longValue("SELECT count(*) FROM trees");
        for (long f : facts) {
            router.unrouteFact(s, f);
            FactStore.delete(s, f);
        }
        int kept = (int) s.longValue("SELECT count(DISTINCT fact_id) FROM fact_sources WHERE conversation_id = ?",
                conversationId);
        s.update("DELETE FROM fact_sources WHERE conversation_id = ?", conversationId);
        s.update("DELETE FROM trees WHERE conversation_id = ?", conversationId);
        s.update("DELETE FROM conversations WHERE id = ?", conversationId);
        EntityStore.pruneUnused(s);
        blankDirtySummaries(s);
        int treesAfter = (int) s.longValue("SELECT count(*) FROM trees");
        return new ForgetReport(conversationId, messages, cells, facts.size(), kept, treesBefore - treesAfter);
    }

    /** Dirty nodes' summaries may quote removed items: clear them until the refresh rewrites them. */
    static void blankDirtySummaries(Sql s) throws SQLException {
        s.update("UPDATE nodes SET summary = '', keywords = '' WHERE dirty > 0 AND (summary <> '' OR keywords <> '')");
        s.update("DELETE FROM node_vectors WHERE node_id IN (SELECT id FROM nodes WHERE dirty > 0)");
    }
}
