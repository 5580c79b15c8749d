package dev.canopy.memory.forest;

import dev.canopy.memory.db.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A time-ordered, B+-tree-like MemTree stored in the {@code nodes} table.
 *
 * <p>Insert descends from the root to the level-1 node whose key range takes the item, adds a leaf,
 * and walks back up: each node on the path is widened and marked dirty, and a node that now has
 * more than {@code fanout} children is split in two (the root split adds a level). Remove deletes
 * the leaf and walks up: a node left with fewer than {@code minFill} children merges into or borrows
 * from an adjacent sibling; a root with one inner child is replaced by it. Both touch only the
 * leaf-to-root path (plus at most one sibling per level), so the cost is O(fanout * height).
 */
public final class MemTree {

    private final Sql s;
    private Tree tree;

    public MemTree(Sql s, Tree tree) {
        this.s = s;
        this.tree = tree;
    }

    public Tree tree() {
        return tree;
    }

    /**
     * Adds an item said at {@code ts} (covering {@code ts..tEnd}).
     *
     * @return the new leaf's id
     */
    public long insert(ItemRef item, long ts, long tEnd) throws SQLException {
        long kId = item.id();
        if (tree.rootId() == null) {
            long root = Nodes.insertNode(s, tree.id(), null, 1, null, ts, kId, ts, tEnd, 0, 1);
            setRoot(root);
        }
        List<Long> path = new ArrayList<>();
        long node = tree.rootId();
        path.add(node);
        int level = Nodes.node(s, node).level();
        while (level > 1) {
            node = chooseChild(node, ts, kId);
            path.add(node);
            level--;
        }
        long leaf = Nodes.insertNode(s, tree.id(), node, 0, item, ts, kId, ts, tEnd, 1, 0);
        long added = leaf; // the child that made the node below grow: the new leaf, then a split's new sibling
        for (int i = path.size() - 1; i >= 0; i--) {
            long n = path.get(i);
            Nodes.growFor(s, n, ts, kId, ts, tEnd);
            if (Nodes.childCount(s, n) > tree.fanout()) {
                added = split(n, added);
            }
        }
        return leaf;
    }

    /**
     * Removes a leaf of this tree.
     *
     * @return true when the tree is now empty (the caller may drop it)
     */
    public boolean remove(long leafId) throws SQLException {
        TreeNode leaf = Nodes.node(s, leafId);
        if (!leaf.isLeaf() || leaf.treeId() != tree.id()) {
            throw new SQLException("node " + leafId + " is not a leaf of tree " + tree.id());
        }
        Nodes.deleteNode(s, leafId);
        Long current = leaf.parentId();
        while (current != null) {
            TreeNode n = Nodes.node(s, current);
            int count = Nodes.childCount(s, n.id());
            if (count == 0) {
                Nodes.deleteNode(s, n.id());
                if (n.parentId() == null) {
                    setRoot(null);
                    return true;
                }
            } else if (n.parentId() != null && count < tree.minFill()) {
                rebalance(n, count);
            } else {
                Nodes.recompute(s, n.id());
            }
            current = n.parentId();
        }
        collapseRoot();
        return false;
    }

    private long chooseChild(long parent, long ts, long kId) throws SQLException {
        return s.one("""
                SELECT id FROM nodes WHERE parent_id = ? AND (k_ts < ? OR (k_ts = ? AND k_id <= ?))
                ORDER BY k_ts DESC, k_id DESC LIMIT 1""", rs -> rs.getLong(1), parent, ts, ts, kId)
                .or(() -> firstChild(parent))
                .orElseThrow(() -> new SQLException("inner node " + parent + " has no children"));
    }

    private java.util.Optional<Long> firstChild(long parent) {
        try {
            return s.one("SELECT id FROM nodes WHERE parent_id = ? ORDER BY k_ts, k_id LIMIT 1",
                    rs -> rs.getLong(1), parent);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Moves the upper half of the node's children to a new right sibling, or only {@code minFill} of
     * them when the child just added is the last one: items mostly arrive in time order, and an even
     * split would leave every node behind the right edge at the minimum fill (a taller tree).
     *
     * @return the new sibling's id
     */
    private long split(long nodeId, long added) throws SQLException {
        TreeNode n = Nodes.node(s, nodeId);
        List<Long> kids = Nodes.childIds(s, nodeId);
        int keep = kids.getLast() == added ? kids.size() - tree.minFill() : kids.size() / 2;
        Long parent = n.parentId();
        if (parent == null) {
            long newRoot = Nodes.insertNode(s, tree.id(), null, n.level() + 1, null, n.kTs(), n.kId(),
                    n.tStart(), n.tEnd(), n.itemCount(), 1);
            Nodes.setParent(s, nodeId, newRoot);
            setRoot(newRoot);
            parent = newRoot;
        }
        TreeNode first = Nodes.node(s, kids.get(keep));
        long sibling = Nodes.insertNode(s, tree.id(), parent, n.level(), null, first.kTs(), first.kId(),
                first.tStart(), first.tEnd(), 0, 1);
        for (long kid : kids.subList(keep, kids.size())) {
            Nodes.setParent(s, kid, sibling);
        }
        Nodes.recompute(s, nodeId);
        Nodes.recompute(s, sibling);
        if (n.parentId() == null) {
            Nodes.recompute(s, parent);
        }
        return sibling;
    }

    /** Fixes a non-root node with too few children: merge into a neighbour, or borrow one child. */
    private void rebalance(TreeNode n, int count) throws SQLException {
        var prev = s.one("""
                SELECT id FROM nodes WHERE parent_id = ? AND (k_ts < ? OR (k_ts = ? AND k_id < ?))
                ORDER BY k_ts DESC, k_id DESC LIMIT 1""", rs -> rs.getLong(1), n.parentId(), n.kTs(), n.kTs(), n.kId());
        var next = s.one("""
                SELECT id FROM nodes WHERE parent_id = ? AND (k_ts > ? OR (k_ts = ? AND k_id > ?))
                ORDER BY k_ts, k_id LIMIT 1""", rs -> rs.getLong(1), n.parentId(), n.kTs(), n.kTs(), n.kId());
        if (prev.isEmpty() && next.isEmpty()) {
            Nodes.recompute(s, n.id()); // an only child: the parent will collapse or rebalance
            return;
        }
        boolean usePrev = prev.isPresent();
        long sib = usePrev ? prev.get() : next.get();
        int sibCount = Nodes.childCount(s, sib);
        if (sibCount + count <= tree.fanout()) {
            for (long kid : Nodes.childIds(s, n.id())) {
                Nodes.setParent(s, kid, sib);
            }
            Nodes.deleteNode(s, n.id());
            Nodes.recompute(s, sib);
            return;
        }
        List<Long> sibKids = Nodes.childIds(s, sib);
        long moved = usePrev ? sibKids.getLast() : sibKids.getFirst();
        Nodes.setParent(s, moved, n.id());
        Nodes.recompute(s, n.id());
        Nodes.recompute(s, sib);
    }

    private void collapseRoot() throws SQLException {
        while (tree.rootId() != null) {
            TreeNode root = Nodes.node(s, tree.rootId());
            if (root.level() <= 1) {
                return;
            }
            List<Long> kids = Nodes.childIds(s, root.id());
            if (kids.size() != 1) {
                return;
            }
            long child = kids.getFirst();
            Nodes.setParent(s, child, null);
            Nodes.deleteNode(s, root.id());
            setRoot(child);
        }
    }

    private void setRoot(Long rootId) throws SQLException {
        Nodes.setRoot(s, tree.id(), rootId);
        tree = new Tree(tree.id(), tree.kind(), tree.key(), tree.label(), tree.fanout(), rootId,
                tree.conversationId(), tree.entityId());
    }
}
