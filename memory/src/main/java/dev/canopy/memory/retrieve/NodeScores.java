package dev.canopy.memory.retrieve;

import dev.canopy.memory.db.Sql;
import dev.canopy.memory.forest.Nodes;
import dev.canopy.memory.forest.Tree;
import dev.canopy.memory.forest.TreeNode;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How well an inner node matches the query: its own summary/keyword match plus the density of hit
 * facts below it (hit mass over the square root of its item count), each scaled to [0, 1] per level.
 */
final class NodeScores {

    private final Map<Long, Double> score;
    private final Map<Long, Long> treeOf;

    private NodeScores(Map<Long, Double> score, Map<Long, Long> treeOf) {
        this.score = score;
        this.treeOf = treeOf;
    }

    /** {@code a}: the weight of a node's own text match against the density of matching facts below it. */
    static NodeScores load(Sql s, Map<Long, Double> nodeHits, Map<Long, Double> mass, double a) throws SQLException {
        Set<Long> ids = new HashSet<>(nodeHits.keySet());
        ids.addAll(mass.keySet());
        record Info(long id, long tree, int level, int items) {
        }
        List<Info> infos = new ArrayList<>();
        List<Long> all = new ArrayList<>(ids);
        for (int i = 0; i < all.size(); i += 500) {
            List<Long> chunk = all.subList(i, Math.min(all.size(), i + 500));
            infos.addAll(s.listOnce("SELECT id, tree_id, level, item_count FROM nodes WHERE level > 0 AND id IN ("
                    + Sql.placeholders(chunk.size()) + ")",
                    rs -> new Info(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4)), chunk.toArray()));
        }
        Map<Integer, Double> maxDensity = new HashMap<>();
        Map<Long, Double> density = new HashMap<>();
        for (Info in : infos) {
            double d = mass.getOrDefault(in.id(), 0.0) / Math.sqrt(Math.max(1, in.items()));
            density.put(in.id(), d);
            maxDensity.merge(in.level(), d, Math::max);
        }
        Map<Long, Double> score = new HashMap<>();
        Map<Long, Long> treeOf = new HashMap<>();
        for (Info in : infos) {
            double max = maxDensity.getOrDefault(in.level(), 0.0);
            double d = max > 0 ? density.get(in.id()) / max : 0;
            score.put(in.id(), a * nodeHits.getOrDefault(in.id(), 0.0) + (1 - a) * d);
            treeOf.put(in.id(), in.tree());
        }
        return new NodeScores(score, treeOf);
    }

    double score(TreeNode node) {
        return score.getOrDefault(node.id(), 0.0);
    }

    /** Trees holding the best-scoring nodes, best first, at most {@code max}. */
    List<Tree> candidateTrees(Sql s, int max) throws SQLException {
        Map<Long, Double> best = new HashMap<>();
        score.forEach((node, sc) -> best.merge(treeOf.get(node), sc, Math::max));
        List<Long> ordered = best.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<Long, Double> e) -> -e.getValue())
                        .thenComparingLong(Map.Entry::getKey))
                .limit(max).map(Map.Entry::getKey).toList();
        List<Tree> out = new ArrayList<>();
        for (long id : ordered) {
            Nodes.tree(s, id).filter(t -> t.rootId() != null).ifPresent(out::add);
        }
        return out;
    }
}
