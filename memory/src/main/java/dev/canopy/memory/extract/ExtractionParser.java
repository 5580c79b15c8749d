package dev.canopy.memory.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.memory.fact.FactRole;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads the model's JSON answer for one cell; tolerant of code fences and missing optional fields. */
public final class ExtractionParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private ExtractionParser() {
    }

    /**
     * @throws IllegalArgumentException when the answer is not the expected JSON object
     */
    public static CellExtraction parse(String answer, Cell cell) {
        String json = stripFences(answer);
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("facts").isArray()) {
            throw new IllegalArgumentException("expected an object with a \"facts\" array");
        }
        List<ExtractedFact> facts = new ArrayList<>();
        for (JsonNode f : root.path("facts")) {
            String text = f.path("text").asText("").strip();
            if (text.isEmpty()) {
                continue;
            }
            List<String> participants = strings(f.path("participants"));
            if (participants.isEmpty()) {
                participants = cell.speakers();
            }
            facts.add(new ExtractedFact(text, FactRole.parse(f.path("role").asText(null)), participants,
                    strings(f.path("entities")), strings(f.path("topics")).stream().limit(3).toList(),
                    date(f.path("time_start")), date(f.path("time_end")), null));
        }
        return new CellExtraction(cell.id(), root.path("summary").asText("").strip(), facts, false);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            for (JsonNode n : array) {
                String v = n.asText("").strip();
                if (!v.isEmpty()) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private static String date(JsonNode n) {
        String v = n.isTextual() ? n.asText().strip() : null;
        return v != null && DATE.matcher(v).matches() ? v : null;
    }

    private static String stripFences(String s) {
        String t = s == null ? "" : s.strip();
        if (t.startsWith("```")) {
            int nl = t.indexOf('\n');
            t = nl < 0 ? "" : t.substring(nl + 1);
            if (t.endsWith("```")) {
                t = t.substring(0, t.length() - 3);
            }
        }
        int start = t.indexOf('{');
        int end = t.lastIndexOf('}');
        return start >= 0 && end > start ? t.substring(start, end + 1) : t;
    }
}
