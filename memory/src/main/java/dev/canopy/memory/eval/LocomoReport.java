package dev.canopy.memory.eval;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The evaluation result; {@link #toJson()} is the exact object {@code canopy eval locomo} prints.
 * Categories are LoCoMo's numbers: 1 multi-hop, 2 temporal, 3 open-domain, 4 single-hop, 5 adversarial.
 */
public record LocomoReport(Scores ours, Scores bm25, int questions, double constructionSeconds) {

    /** Overall recall and recall per category ("1".."5"). */
    public record Scores(double overall, Map<String, Double> byCategory) {

        String toJson() {
            String cats = byCategory.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\": " + num(e.getValue()))
                    .collect(Collectors.joining(", "));
            return "{\"overall\": " + num(overall) + ", \"by_category\": {" + cats + "}}";
        }
    }

    public String toJson() {
        return "{\"ours\": " + ours.toJson() + ", \"bm25\": " + bm25.toJson() + ", \"questions\": " + questions
                + ", \"construction_s\": " + num(constructionSeconds) + "}";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
