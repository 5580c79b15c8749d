package dev.canopy.memory.forest;

import dev.canopy.memory.db.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies the MemTree invariants of every tree and returns the violations (empty when all hold):
 * one root, levels decreasing by one, leaves holding exactly one item of the tree's kind and at
 * most once, fan-out within [minFill, fanout] (the root: [1, fanout]), children in strict time order,
 * every inner node's key, time range and item count equal to what its children cover, and, when
 * asked, no dirty node.
 */
public final class TreeChecker {

    private TreeChecker() {
    }

    public static List<String> check(Sql s, boolean requireClean) throws SQLException {
        List<String> problems = new ArrayList<>();
        for (Tree t : Nodes.trees(s)) {
            checkTree(s, t, requireClean, problems);
        }
        long orphans = s.longValue("SELECT count(*) FROM nodes n WHERE NOT EXISTS (SELECT 1 FROM trees t WHERE t.id = n.tree_id)");
        if (orphans > 0) {
            problems.add(orphans + " nodes belong to no tree");
        }
        return problems;
    }

    private static void checkTree(Sql s, Tree t, boolean requireClean, List<String> problems) throws SQLException {
        List<TreeNode> all = s.list("SELECT * FROM nodes WHERE tree_id = ?", Nodes::node, t.id());
        String name = "tree " + t.id() + " (" + t.kind() + " " + t.key() + ")";
        if (t.rootId() == null) {
            if (!all.isEmpty()) {
                problems.add(name + ": no root but " + all.size() + " nodes");
            }
            return;
        }
        Map<Long, TreeNode> byId = new HashMap<>();
        Map<Long, List<TreeNode>> kids = new HashMap<>();
        for (TreeNode n : all) {
            byId.put(n.id(), n);
            if (n.parentId() != null) {
                kids.computeIfAbsent(n.parentId(), x -> new ArrayList<>()).add(n);
            }
        }
        TreeNode root = byId.get(t.rootId());
        if (root == null || root.parentId() != null || root.level() < 1) {
            problems.add(name + ": bad root " + t.rootId());
            return;
        }
        Set<Long> items = new HashSet<>();
        int[] visited = {0};
        walk(t, root, kids, true, requireClean, items, visited, name, problems);
        if (visited[0] != all.size()) {
            problems.add(name + ": " + (all.size() - visited[0]) + " nodes unreachable from the root");
        }
    }

    /** Returns {minTs, minId, maxTs, maxId} of the subtree. */
    private static long[] walk(Tree t, TreeNode n, Map<Long, List<TreeNode>> kids, boolean isRoot, boolean requireClean,
                               Set<Long> items, int[] visited, String name, List<String> problems) {
        visited[0]++;
        String where = name + " node " + n.id();
        if (n.isLeaf()) {
            Long item = t.kind() == TreeKind.SESSION ? n.cellId() : n.factId();
            Long other = t.kind() == TreeKind.SESSION ? n.factId() : n.cellId();
            if (item == null || other != null) {
                problems.add(where + ": leaf must hold exactly one " + (t.kind() == TreeKind.SESSION ? "cell" : "fact"));
            } else if (!items.add(item)) {
                problems.add(where + ": item " + item + " appears twice");
            }
            if (n.kId() != (item == null ? -1 : item) || n.itemCount() != 1 || n.tStart() != n.kTs() || kids.containsKey(n.id())) {
                problems.add(where + ": malformed leaf");
            }
            return new long[] {n.kTs(), n.kId(), n.kTs(), n.kId()};
        }
        if (n.cellId() != null || n.factId() != null) {
            problems.add(where + ": inner node holds an item");
        }
        if (requireClean && n.dirty() != 0) {
            problems.add(where + ": still dirty after refresh");
        }
        List<TreeNode> children = new ArrayList<>(kids.getOrDefault(n.id(), List.of()));
        children.sort(Comparator.comparingLong(TreeNode::kTs).thenComparingLong(TreeNode::kId));
        int min = isRoot ? 1 : t.minFill();
        if (children.size() < min || children.size() > t.fanout()) {
            problems.add(where + ": " + children.size() + " children, allowed " + min + ".." + t.fanout());
        }
        long[] prev = null;
        long[] range = null;
        long tStart = Long.MAX_VALUE;
        long tEnd = Long.MIN_VALUE;
        int count = 0;
        for (TreeNode c : children) {
            if (c.level() != n.level() - 1) {
                problems.add(where + ": child " + c.id() + " at level " + c.level() + " under level " + n.level());
            }
            long[] r = walk(t, c, kids, false, requireClean, items, visited, name, problems);
            if (prev != null && compare(prev[2], prev[3], r[0], r[1]) >= 0) {
                problems.add(where + ": children " + c.id() + " out of time order");
            }
            if (r[0] != c.kTs() || r[1] != c.kId()) {
                problems.add(name + " node " + c.id() + ": key is not its first item's");
            }
            range = range == null ? r.clone() : new long[] {range[0], range[1], r[2], r[3]};
            prev = r;
            tStart = Math.min(tStart, c.tStart());
            tEnd = Math.max(tEnd, c.tEnd());
            count += c.itemCount();
        }
        if (children.isEmpty()) {
            return new long[] {n.kTs(), n.kId(), n.kTs(), n.kId()};
        }
        if (n.tStart() != tStart || n.tEnd() != tEnd) {
            problems.add(where + ": time range does not cover exactly its children");
        }
        if (n.itemCount() != count) {
            problems.add(where + ": item count " + n.itemCount() + " but " + count + " below");
        }
        return range;
    }

    private static int compare(long ts1, long id1, long ts2, long id2) {
        return ts1 != ts2 ? Long.compare(ts1, ts2) : Long.compare(id1, id2);
    }

    /** Height of a tree (levels above the leaves), 0 when empty. */
    public static int height(Sql s, Tree t) throws SQLException {
        return t.rootId() == null ? 0 : Nodes.node(s, t.rootId()).level();
    }
}
