package dev.canopy.memory.forest;

import dev.canopy.memory.db.Sql;
import dev.canopy.memory.fact.EntityStore;
import dev.canopy.memory.fact.FactStore;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Puts cells and facts into their trees without any model call: a cell into its session's tree,
 * a fact into the tree of each entity it mentions (created once the entity is mentioned often
 * enough, then back-filled) and into the scene tree of its first topic.
 */
public final class Router {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final ForestConfig config;

    public Router(ForestConfig config) {
        this.config = config;
    }

    public static String sessionKey(long conversationId, int sessionNo) {
        return "conversation:" + conversationId + ":session:" + sessionNo;
    }

    /** Adds a stored cell to its session tree, creating the tree for the session's first cell. */
    public long routeCell(Sql s, long cellId) throws SQLException {
        var cell = s.one("""
                SELECT c.conversation_id, c.session_no, c.t_start, c.t_end, v.title FROM cells c
                JOIN conversations v ON v.id = c.conversation_id WHERE c.id = ?""",
                rs -> new Object[] {rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getString(5)},
                cellId).orElseThrow(() -> new SQLException("cell " + cellId + " does not exist"));
        long conversationId = (long) cell[0];
        int sessionNo = (int) cell[1];
        long tStart = (long) cell[2];
        String key = sessionKey(conversationId, sessionNo);
        Tree tree = Nodes.tree(s, TreeKind.SESSION, key).orElse(null);
        if (tree == null) {
            String title = ((String) cell[4]).isBlank() ? "Conversation " + conversationId : (String) cell[4];
            String label = title + ", session " + sessionNo + " (" + DAY.format(Instant.ofEpochMilli(tStart)) + ")";
            tree = Nodes.createTree(s, TreeKind.SESSION, key, label, config.sessionFanout(), conversationId, null);
        }
        return new MemTree(s, tree).insert(ItemRef.cell(cellId), tStart, (long) cell[3]);
    }

    /**
     * Adds a stored fact to its entity and scene trees. Idempotent: trees already holding the fact are
     * skipped, so it is also called when a duplicate adds a source (an entity may now qualify).
     */
    public void routeFact(Sql s, long factId) throws SQLException {
        var fact = FactStore.get(s, factId).orElseThrow(() -> new SQLException("fact " + factId + " does not exist"));
        long ts = fact.ts().toEpochMilli();
        for (EntityStore.Entity e : EntityStore.ofFact(s, factId)) {
            String key = String.valueOf(e.id());
            Tree tree = Nodes.tree(s, TreeKind.ENTITY, key).orElse(null);
            if (tree != null) {
                insertOnce(s, tree, factId, ts);
            } else if (qualifies(s, e)) {
                tree = Nodes.createTree(s, TreeKind.ENTITY, key, e.display(), config.entityFanout(), null, e.id());
                backfill(s, tree, EntityStore.facts(s, e.id()));
            }
        }
        if (!fact.topics().isEmpty()) {
            String topic = EntityStore.key(fact.topics().getFirst());
            Tree tree = Nodes.tree(s, TreeKind.SCENE, topic).orElse(null);
            if (tree == null) {
                tree = Nodes.createTree(s, TreeKind.SCENE, topic, topic, config.sceneFanout(), null, null);
            }
            insertOnce(s, tree, factId, ts);
        }
    }

    private static void insertOnce(Sql s, Tree tree, long factId, long ts) throws SQLException {
        if (s.longValue("SELECT count(*) FROM nodes WHERE fact_id = ? AND tree_id = ?", factId, tree.id()) == 0) {
            new MemTree(s, tree).insert(ItemRef.fact(factId), ts, ts);
        }
    }

    /** Takes a fact out of every tree; trees left empty are dropped. */
    public void unrouteFact(Sql s, long factId) throws SQLException {
        for (long leaf : Nodes.leavesOfFact(s, factId)) {
            removeLeaf(s, leaf);
        }
    }

    /** Takes a cell out of its session tree. */
    public void unrouteCell(Sql s, long cellId) throws SQLException {
        for (long leaf : Nodes.leavesOfCell(s, cellId)) {
            removeLeaf(s, leaf);
        }
    }

    private static void removeLeaf(Sql s, long leaf) throws SQLException {
        TreeNode node = Nodes.node(s, leaf);
        Tree tree = Nodes.tree(s, node.treeId()).orElseThrow();
        if (new MemTree(s, tree).remove(leaf)) {
            Nodes.deleteTree(s, tree.id());
        }
    }

    private boolean qualifies(Sql s, EntityStore.Entity e) throws SQLException {
        if (e.user()) {
            return true;
        }
        // the exact spread reads every fact of the entity: only ask once the cheap filter says it may qualify
        if (!EntityStore.mayReach(s, e.id(), config.entityMinFacts(), config.entityMinSessions())) {
            return false;
        }
        EntityStore.Spread spread = EntityStore.spread(s, e.id());
        return spread.facts() >= config.entityMinFacts() && spread.sessions() >= config.entityMinSessions();
    }

    private static void backfill(Sql s, Tree tree, List<Long> factIds) throws SQLException {
        MemTree memTree = new MemTree(s, tree);
        for (long id : factIds) {
            long ts = s.longValue("SELECT ts FROM facts WHERE id = ?", id);
            memTree.insert(ItemRef.fact(id), ts, ts);
        }
    }
}
