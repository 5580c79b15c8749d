package dev.canopy.memory.retrieve;

import dev.canopy.memory.db.Sql;
import dev.canopy.memory.forest.Nodes;
import dev.canopy.memory.forest.TreeNode;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Descends one tree from its root, keeping the {@code beam} best inner nodes per level, down to
 * the leaves under the last beam. A leaf's path score is the mean of its ancestors' scores weighted
 * towards the nearest (weight 1/level), so local context counts most and the whole session least.
 */
final class BeamSearch {

    /** A leaf reached by the descent. */
    record Reached(TreeNode leaf, double pathScore) {
    }

    private record Path(TreeNode node, double weightedSum, double weights) {
        double score() {
            return weights == 0 ? 0 : weightedSum / weights;
        }
    }

    private BeamSearch() {
    }

    static List<Reached> descend(Sql s, TreeNode root, int beam, ToDoubleFunction<TreeNode> score)
            throws SQLException {
        List<Path> frontier = List.of(extend(new Path(root, 0, 0), root, score));
        List<Reached> out = new ArrayList<>();
        while (!frontier.isEmpty()) {
            List<Path> next = new ArrayList<>();
            for (Path p : frontier) {
                for (TreeNode child : Nodes.children(s, p.node().id())) {
                    if (child.isLeaf()) {
                        out.add(new Reached(child, p.score()));
                    } else {
                        next.add(extend(p, child, score));
                    }
                }
            }
            next.sort(Comparator.comparingDouble((Path p) -> -score.applyAsDouble(p.node()))
                    .thenComparingDouble(p -> -p.score()));
            frontier = next.size() > beam ? next.subList(0, beam) : next;
        }
        return out;
    }

    private static Path extend(Path p, TreeNode node, ToDoubleFunction<TreeNode> score) {
        double w = 1.0 / node.level();
        return new Path(node, p.weightedSum() + w * score.applyAsDouble(node), p.weights() + w);
    }
}
