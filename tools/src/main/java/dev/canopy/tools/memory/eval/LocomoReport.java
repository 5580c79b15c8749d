package dev.canopy.tools.memory.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * The evaluation result; {@link #toJson()} is the exact object {@code canopy eval locomo} prints.
 * Categories are LoCoMo's numbers: 1 multi-hop, 2 temporal, 3 open-domain, 4 single-hop, 5 adversarial.
 */
public record LocomoReport(Scores ours, Scores bm25, int questions, double constructionSeconds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Overall recall and recall per category ("1".."5"). */
    public record Scores(double overall, Map<String, Double> byCategory) {

        ObjectNode toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("overall", num(overall));
            ObjectNode cats = o.putObject("by_category");
            byCategory.forEach((category, recall) -> cats.put(category, num(recall)));
            return o;
        }
    }

    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.set("ours", ours.toJson());
        o.set("bm25", bm25.toJson());
        o.put("questions", questions);
        o.put("construction_s", num(constructionSeconds));
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of numbers is always writable", e);
        }
    }

    /** Four decimals, as the report has always printed them. */
    private static BigDecimal num(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP);
    }
}
