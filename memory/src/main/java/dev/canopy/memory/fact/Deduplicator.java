package dev.canopy.memory.fact;

import dev.canopy.memory.db.Sql;
import dev.canopy.memory.llm.Vectors;
import dev.canopy.memory.text.FtsQuery;
import dev.canopy.memory.text.Terms;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Finds the stored fact a new one repeats: the same normalized text; else a near copy (word-set
 * Jaccard >= {@code jaccard}) among the facts that can be one by their words
 * ({@link FtsQuery#nearCopiesOf}); else, when vectors exist, cosine >= {@code cosine} among the facts
 * sharing any content word, confirmed by the judge when one is configured (MemForest: 0.93 +
 * model check).
 */
public final class Deduplicator {

    private static final int CANDIDATES = 20;

    private final double jaccard;
    private final double cosine;
    private final Optional<DuplicateJudge> judge;

    public Deduplicator(double jaccard, double cosine, Optional<DuplicateJudge> judge) {
        this.jaccard = jaccard;
        this.cosine = cosine;
        this.judge = judge;
    }

    public static Deduplicator defaults() {
        return new Deduplicator(0.9, 0.93, Optional.empty());
    }

    public OptionalLong find(Sql s, String text, float[] vector) throws SQLException {
        String norm = Terms.normalize(text);
        var exact = s.one("SELECT id FROM facts WHERE norm = ? LIMIT 1", rs -> rs.getLong(1), norm);
        if (exact.isPresent()) {
            return OptionalLong.of(exact.get());
        }
        Set<String> words = new HashSet<>(Terms.words(text));
        if (words.size() >= 4) {
            String near = FtsQuery.nearCopiesOf(Terms.contentWords(text), words.size(), jaccard);
            for (Candidate c : near.isEmpty() ? List.<Candidate>of() : candidates(s, near)) {
                if (jaccard(words, new HashSet<>(Terms.words(c.text()))) >= jaccard) {
                    return OptionalLong.of(c.id());
                }
            }
        }
        String related = FtsQuery.anyOf(text);
        if (vector == null || related.isEmpty()) {
            return OptionalLong.empty();
        }
        // a paraphrase shares meaning, not words: rank every fact sharing a content word (grows with the store)
        for (Candidate c : candidates(s, related)) {
            if (c.vec() != null && Vectors.cosine(vector, Vectors.fromBytes(c.vec())) >= cosine
                    && judge.map(j -> j.same(c.text(), text)).orElse(true)) {
                return OptionalLong.of(c.id());
            }
        }
        return OptionalLong.empty();
    }

    private record Candidate(long id, String text, byte[] vec) {
    }

    /** The best {@value #CANDIDATES} facts by BM25 for an FTS5 MATCH expression. */
    private static List<Candidate> candidates(Sql s, String match) throws SQLException {
        return s.list("""
                SELECT f.id, f.text, v.vec FROM fact_fts JOIN facts f ON f.id = fact_fts.rowid
                LEFT JOIN fact_vectors v ON v.fact_id = f.id WHERE fact_fts MATCH ? ORDER BY bm25(fact_fts) LIMIT ?""",
                rs -> new Candidate(rs.getLong(1), rs.getString(2), rs.getBytes(3)), match, CANDIDATES);
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        Set<String> inter = new HashSet<>(a);
        inter.retainAll(b);
        int union = a.size() + b.size() - inter.size();
        return union == 0 ? 0 : (double) inter.size() / union;
    }
}
