package dev.canopy.memory.retrieve;

import dev.canopy.memory.db.Database;
import dev.canopy.memory.db.Sql;
import dev.canopy.memory.fact.Fact;
import dev.canopy.memory.fact.FactStore;
import dev.canopy.memory.forest.Nodes;
import dev.canopy.memory.forest.Tree;
import dev.canopy.memory.forest.TreeNode;
import dev.canopy.memory.text.FtsQuery;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The read path: full-text hits on facts and node summaries pick the candidate trees; each is
 * descended with a beam; a fact's score adds its own match, the score of the path that reached it
 * and the support of its cell (the turn next to it), and the top k go into the prompt with their
 * dates. Works without embeddings.
 */
public final class Retriever {

    private final Database db;
    private final TokenCounter counter;

    public Retriever(Database db, TokenCounter counter) {
        this.db = db;
        this.counter = counter;
    }

    public Recall recall(String query, RecallOptions options) {
        String match = FtsQuery.anyOf(query);
        if (match.isEmpty()) {
            return Recall.EMPTY;
        }
        List<RecalledFact> top = db.read("recalling memories", s -> rank(s, match, options));
        return PromptAssembler.assemble(top, options.tokenBudget(), counter);
    }

    private List<RecalledFact> rank(Sql s, String match, RecallOptions o) throws SQLException {
        Map<Long, Double> factHits = Hits.facts(s, match, o.candidates());
        Map<Long, Double> nodeHits = Hits.nodes(s, match, o.candidates());
        Map<Long, Double> mass = Hits.mass(s, factHits);
        NodeScores scores = NodeScores.load(s, nodeHits, mass, o.weights().node());

        Map<Long, Double> pathScore = new HashMap<>();
        Map<Long, Double> cellSupport = new HashMap<>();
        Map<Long, Set<String>> via = new HashMap<>();
        for (Tree tree : scores.candidateTrees(s, o.maxTrees())) {
            TreeNode root = Nodes.node(s, tree.rootId());
            for (BeamSearch.Reached r : BeamSearch.descend(s, root, o.beam(), scores::score)) {
                List<Long> facts = r.leaf().factId() != null ? List.of(r.leaf().factId())
                        : s.longs("SELECT fact_id FROM fact_sources WHERE cell_id = ?", r.leaf().cellId());
                double cellMass = r.leaf().cellId() != null ? mass.getOrDefault(r.leaf().id(), 0.0) : 0;
                for (long f : facts) {
                    pathScore.merge(f, r.pathScore(), Math::max);
                    if (cellMass > 0) {
                        cellSupport.merge(f, cellMass - factHits.getOrDefault(f, 0.0), Math::max);
                    }
                    via.computeIfAbsent(f, x -> new LinkedHashSet<>()).add(tree.label());
                }
            }
        }
        Set<Long> candidates = new LinkedHashSet<>(factHits.keySet());
        candidates.addAll(pathScore.keySet());
        record Scored(long id, double score) {
        }
        List<Scored> scored = new ArrayList<>();
        for (long f : candidates) {
            double sc = factHits.getOrDefault(f, 0.0) + o.weights().path() * pathScore.getOrDefault(f, 0.0)
                    + o.weights().cell() * cellSupport.getOrDefault(f, 0.0);
            scored.add(new Scored(f, sc));
        }
        scored.sort(Comparator.comparingDouble((Scored x) -> -x.score()).thenComparingLong(Scored::id));
        List<RecalledFact> out = new ArrayList<>();
        for (Scored sc : scored.subList(0, Math.min(o.k(), scored.size()))) {
            Fact f = FactStore.get(s, sc.id()).orElseThrow();
            out.add(new RecalledFact(f.id(), f.text(), f.ts(), f.validFrom(), sc.score(),
                    List.copyOf(via.getOrDefault(f.id(), Set.of()))));
        }
        return out;
    }
}
