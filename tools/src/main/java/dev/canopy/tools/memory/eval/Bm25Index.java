package dev.canopy.tools.memory.eval;

import dev.canopy.memory.text.Terms;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain Okapi BM25 (k1 = 1.2, b = 0.75, Lucene's idf) over lower-cased words, no stemming, no
 * stopword list: the baseline the evaluation compares MemForest retrieval with.
 */
public final class Bm25Index {

    private static final double K1 = 1.2;
    private static final double B = 0.75;

    private final List<Map<String, Integer>> docs = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();
    private final Map<String, Integer> df = new HashMap<>();
    private long totalLength;

    public Bm25Index(List<String> documents) {
        for (String d : documents) {
            Map<String, Integer> tf = new HashMap<>();
            List<String> words = Terms.words(d);
            for (String w : words) {
                tf.merge(w, 1, Integer::sum);
            }
            tf.keySet().forEach(w -> df.merge(w, 1, Integer::sum));
            docs.add(tf);
            lengths.add(words.size());
            totalLength += words.size();
        }
    }

    /** Indices of the best {@code k} documents for the query, best first (ties: earlier document). */
    public List<Integer> search(String query, int k) {
        int n = docs.size();
        double avg = n == 0 ? 1 : (double) totalLength / n;
        double[] scores = new double[n];
        for (String q : Terms.words(query)) {
            Integer dfq = df.get(q);
            if (dfq == null) {
                continue;
            }
            double idf = Math.log(1 + (n - dfq + 0.5) / (dfq + 0.5));
            for (int i = 0; i < n; i++) {
                Integer tf = docs.get(i).get(q);
                if (tf != null) {
                    scores[i] += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths.get(i) / avg));
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (scores[i] > 0) {
                order.add(i);
            }
        }
        order.sort((a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Integer.compare(a, b));
        return order.subList(0, Math.min(k, order.size()));
    }
}
