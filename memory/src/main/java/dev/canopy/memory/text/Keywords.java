package dev.canopy.memory.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The salient words of a tree node, kept next to its summary so that full-text search can route a
 * query down the tree even when the summary is short. A node's keywords depend only on its
 * children, which keeps a refresh O(fan-out) per node.
 */
public final class Keywords {

    /** How many keywords a node keeps. */
    public static final int MAX = 32;

    private Keywords() {
    }

    /** Keywords of raw texts (the items under a level-1 node): most frequent content words. */
    public static String ofTexts(List<String> texts, int max) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String t : texts) {
            for (String w : Terms.contentWords(t)) {
                if (w.length() > 2) {
                    weights.merge(w, 1.0, Double::sum);
                }
            }
        }
        return top(weights, max);
    }

    /** Keywords of an upper node from its children's keyword lists (earlier words weigh more). */
    public static String merge(List<String> childKeywords, int max) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String kw : childKeywords) {
            List<String> words = Terms.words(kw);
            for (int r = 0; r < words.size(); r++) {
                weights.merge(words.get(r), 1.0 / (1.0 + 0.1 * r), Double::sum);
            }
        }
        return top(weights, max);
    }

    private static String top(Map<String, Double> weights, int max) {
        List<Map.Entry<String, Double>> entries = new ArrayList<>(weights.entrySet());
        entries.sort(Comparator.comparing((Map.Entry<String, Double> e) -> -e.getValue()));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(max, entries.size()); i++) {
            out.add(entries.get(i).getKey());
        }
        return String.join(" ", out);
    }
}
