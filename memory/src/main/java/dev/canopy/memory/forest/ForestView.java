package dev.canopy.memory.forest;

import dev.canopy.memory.db.Database;
import dev.canopy.memory.db.Sql;
import dev.canopy.memory.fact.Fact;
import dev.canopy.memory.fact.FactStore;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The forest as a user browses it: every tree with its nodes and, at the leaves, the facts they
 * hold (a fact leaf holds its fact; a cell leaf of a session tree holds the facts learned from that
 * cell). Read in one transaction, so the picture is consistent. Very large trees are cut at
 * {@code maxNodesPerTree} nodes (the rest of the tree is summarized by the nodes above it).
 */
public final class ForestView {
    /** A node with what is below it. */
    public record Branch(TreeNode node, List<Branch> children, List<Fact> facts) {
        public Branch {
            children = List.copyOf(children);
            facts = List.copyOf(facts);
        }
    }

    /** A tree and its root branch (null root: the tree is empty). */
    public record TreeBranch(Tree tree, Branch root) {}

    private final Database db;

    public ForestView(Database db) {
        this.db = db;
    }

    public List<TreeBranch> trees(int maxNodesPerTree) {
        return db.read("reading the memory forest", s -> {
            List<TreeBranch> out = new ArrayList<>();
            for (Tree t : Nodes.trees(s)) {
                if (t.rootId() == null) continue;
                int[] budget = {maxNodesPerTree};
                out.add(new TreeBranch(t, branch(s, Nodes.node(s, t.rootId()), budget)));
            }
            return out;
        });
    }

    private static Branch branch(Sql s, TreeNode n, int[] budget) throws SQLException {
        budget[0]--;
        if (n.isLeaf()) return new Branch(n, List.of(), leafFacts(s, n));
        List<Branch> kids = new ArrayList<>();
        for (TreeNode c : Nodes.children(s, n.id())) {
            if (budget[0] <= 0) break;
            kids.add(branch(s, c, budget));
        }
        return new Branch(n, kids, List.of());
    }

    private static List<Fact> leafFacts(Sql s, TreeNode leaf) throws SQLException {
        if (leaf.factId() != null) return FactStore.get(s, leaf.factId()).map(List::of).orElse(List.of());
        if (leaf.cellId() == null) return List.of();
        List<Long> ids = s.list("SELECT DISTINCT fact_id FROM fact_sources WHERE cell_id = ? ORDER BY fact_id",
                rs -> rs.getLong(1), leaf.cellId());
        return FactStore.getAll(s, ids);
    }
}
