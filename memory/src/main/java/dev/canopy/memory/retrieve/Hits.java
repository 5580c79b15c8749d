package dev.canopy.memory.retrieve;

import dev.canopy.memory.db.Sql;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Full-text hits on facts and node summaries, and how much fact evidence lies under each node. */
final class Hits {

    private Hits() {
    }

    /** Fact id to BM25 score scaled so the best hit is 1. */
    static Map<Long, Double> facts(Sql s, String match, int limit) throws SQLException {
        return normalized(s.list("""
                SELECT rowid, -bm25(fact_fts, 1.0, 0.5, 0.3) FROM fact_fts WHERE fact_fts MATCH ?
                ORDER BY bm25(fact_fts, 1.0, 0.5, 0.3) LIMIT ?""",
                rs -> Map.entry(rs.getLong(1), rs.getDouble(2)), match, limit));
    }

    /** Inner node id to BM25 score over summary and keywords, scaled so the best hit is 1. */
    static Map<Long, Double> nodes(Sql s, String match, int limit) throws SQLException {
        return normalized(s.list("""
                SELECT rowid, -bm25(node_fts, 1.0, 0.7) FROM node_fts WHERE node_fts MATCH ?
                ORDER BY bm25(node_fts, 1.0, 0.7) LIMIT ?""",
                rs -> Map.entry(rs.getLong(1), rs.getDouble(2)), match, limit));
    }

    /**
     * For every node above a hit fact (its leaves in entity and scene trees, its cell's leaf in the
     * session tree, and all their ancestors): the sum of the hit scores below it.
     */
    static Map<Long, Double> mass(Sql s, Map<Long, Double> factScores) throws SQLException {
        Map<Long, Double> mass = new HashMap<>();
        if (factScores.isEmpty()) {
            return mass;
        }
        Object[] ids = factScores.keySet().toArray();
        Object[] args = new Object[ids.length * 2];
        System.arraycopy(ids, 0, args, 0, ids.length);
        System.arraycopy(ids, 0, args, ids.length, ids.length);
        String in = Sql.placeholders(ids.length);
        List<long[]> rows = s.listOnce("""
                WITH RECURSIVE start(id, fact) AS (
                  SELECT id, fact_id FROM nodes WHERE fact_id IN (%s)
                  UNION ALL
                  SELECT n.id, fs.fact_id FROM fact_sources fs JOIN nodes n ON n.cell_id = fs.cell_id
                  WHERE fs.fact_id IN (%s)),
                up(id, parent_id, fact) AS (
                  SELECT n.id, n.parent_id, start.fact FROM start JOIN nodes n ON n.id = start.id
                  UNION ALL
                  SELECT n.id, n.parent_id, up.fact FROM up JOIN nodes n ON n.id = up.parent_id)
                SELECT id, fact FROM up""".formatted(in, in),
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}, args);
        for (long[] r : rows) {
            mass.merge(r[0], factScores.getOrDefault(r[1], 0.0), Double::sum);
        }
        return mass;
    }

    private static Map<Long, Double> normalized(List<Map.Entry<Long, Double>> rows) {
        Map<Long, Double> out = new LinkedHashMap<>();
        double max = rows.stream().mapToDouble(Map.Entry::getValue).max().orElse(1);
        for (var e : rows) {
            out.put(e.getKey(), max > 0 ? e.getValue() / max : 0);
        }
        return out;
    }
}
