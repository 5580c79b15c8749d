package dev.canopy.memory.forest;

import dev.canopy.memory.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Row access for trees and nodes; the tree algorithms live in {@link MemTree}. */
public final class Nodes {

    private static final String ORDER = " ORDER BY k_ts, k_id";

    private Nodes() {
    }

    public static Optional<Tree> tree(Sql s, long id) throws SQLException {
        return s.one("SELECT * FROM trees WHERE id = ?", Nodes::tree, id);
    }

    public static Optional<Tree> tree(Sql s, TreeKind kind, String key) throws SQLException {
        return s.one("SELECT * FROM trees WHERE kind = ? AND key = ?", Nodes::tree, kind, key);
    }

    public static List<Tree> trees(Sql s) throws SQLException {
        return s.list("SELECT * FROM trees ORDER BY id", Nodes::tree);
    }

    public static Tree createTree(Sql s, TreeKind kind, String key, String label, int fanout, Long conversationId,
                                  Long entityId) throws SQLException {
        long id = s.insert("INSERT INTO trees(kind, key, label, fanout, conversation_id, entity_id) VALUES (?,?,?,?,?,?)",
                kind, key, label, fanout, conversationId, entityId);
        return tree(s, id).orElseThrow();
    }

    public static void setRoot(Sql s, long treeId, Long rootId) throws SQLException {
        s.update("UPDATE trees SET root_id = ? WHERE id = ?", rootId, treeId);
    }

    public static void deleteTree(Sql s, long treeId) throws SQLException {
        s.update("DELETE FROM trees WHERE id = ?", treeId);
    }

    public static TreeNode node(Sql s, long id) throws SQLException {
        return s.one("SELECT * FROM nodes WHERE id = ?", Nodes::node, id)
                .orElseThrow(() -> new SQLException("node " + id + " does not exist"));
    }

    public static List<TreeNode> children(Sql s, long parentId) throws SQLException {
        return s.list("SELECT * FROM nodes WHERE parent_id = ?" + ORDER, Nodes::node, parentId);
    }

    public static List<Long> childIds(Sql s, long parentId) throws SQLException {
        return s.longs("SELECT id FROM nodes WHERE parent_id = ?" + ORDER, parentId);
    }

    public static int childCount(Sql s, long parentId) throws SQLException {
        return (int) s.longValue("SELECT count(*) FROM nodes WHERE parent_id = ?", parentId);
    }

    /** Ids from the node up to its root, the node first. */
    public static List<Long> pathToRoot(Sql s, long nodeId) throws SQLException {
        return s.longs("""
                WITH RECURSIVE up(id, parent_id, depth) AS (
                  SELECT id, parent_id, 0 FROM nodes WHERE id = ?
                  UNION ALL SELECT n.id, n.parent_id, up.depth + 1 FROM nodes n JOIN up ON n.id = up.parent_id)
                SELECT id FROM up ORDER BY depth""", nodeId);
    }

    public static List<Long> leavesOfFact(Sql s, long factId) throws SQLException {
        return s.longs("SELECT id FROM nodes WHERE fact_id = ?", factId);
    }

    public static List<Long> leavesOfCell(Sql s, long cellId) throws SQLException {
        return s.longs("SELECT id FROM nodes WHERE cell_id = ?", cellId);
    }

    static long insertNode(Sql s, long treeId, Long parentId, int level, ItemRef item, long kTs, long kId,
                           long tStart, long tEnd, int itemCount, int dirty) throws SQLException {
        Long cell = item != null && item.kind() == ItemRef.Kind.CELL ? item.id() : null;
        Long fact = item != null && item.kind() == ItemRef.Kind.FACT ? item.id() : null;
        return s.insert("""
                INSERT INTO nodes(tree_id, parent_id, level, cell_id, fact_id, k_ts, k_id, t_start, t_end,
                  item_count, dirty) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                treeId, parentId, level, cell, fact, kTs, kId, tStart, tEnd, itemCount, dirty);
    }

    /** Re-derives key, time range and item count from the children, and marks the node dirty. */
    static void recompute(Sql s, long id) throws SQLException {
        s.update("""
                UPDATE nodes SET
                  (k_ts, k_id) = (SELECT c.k_ts, c.k_id FROM nodes c WHERE c.parent_id = nodes.id
                                  ORDER BY c.k_ts, c.k_id LIMIT 1),
                  t_start = (SELECT min(c.t_start) FROM nodes c WHERE c.parent_id = nodes.id),
                  t_end = (SELECT max(c.t_end) FROM nodes c WHERE c.parent_id = nodes.id),
                  item_count = (SELECT sum(c.item_count) FROM nodes c WHERE c.parent_id = nodes.id),
                  dirty = dirty + 1
                WHERE id = ?""", id);
    }

    /** Widens the node for one more item below it and marks it dirty (O(1), no child scan). */
    static void growFor(Sql s, long id, long kTs, long kId, long tStart, long tEnd) throws SQLException {
        s.update("""
                UPDATE nodes SET
                  k_ts = CASE WHEN ? < k_ts OR (? = k_ts AND ? < k_id) THEN ? ELSE k_ts END,
                  k_id = CASE WHEN ? < k_ts OR (? = k_ts AND ? < k_id) THEN ? ELSE k_id END,
                  t_start = min(t_start, ?), t_end = max(t_end, ?), item_count = item_count + 1, dirty = dirty + 1
                WHERE id = ?""", kTs, kTs, kId, kTs, kTs, kTs, kId, kId, tStart, tEnd, id);
    }

    static void setParent(Sql s, long id, Long parentId) throws SQLException {
        s.update("UPDATE nodes SET parent_id = ? WHERE id = ?", parentId, id);
    }

    static void deleteNode(Sql s, long id) throws SQLException {
        s.update("DELETE FROM nodes WHERE id = ?", id);
    }

    static Tree tree(ResultSet rs) throws SQLException {
        return new Tree(rs.getLong("id"), TreeKind.valueOf(rs.getString("kind")), rs.getString("key"),
                rs.getString("label"), rs.getInt("fanout"), Sql.nullableLong(rs, "root_id"),
                Sql.nullableLong(rs, "conversation_id"), Sql.nullableLong(rs, "entity_id"));
    }

    public static TreeNode node(ResultSet rs) throws SQLException {
        return new TreeNode(rs.getLong("id"), rs.getLong("tree_id"), Sql.nullableLong(rs, "parent_id"),
                rs.getInt("level"), Sql.nullableLong(rs, "cell_id"), Sql.nullableLong(rs, "fact_id"),
                rs.getLong("k_ts"), rs.getLong("k_id"), rs.getLong("t_start"), rs.getLong("t_end"),
                rs.getInt("item_count"), rs.getInt("dirty"), rs.getString("summary"), rs.getString("keywords"));
    }
}
