package dev.canopy.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GBNF grammars (llama.cpp's grammar format, run by libllama's grammar sampler) for JSON output:
 * any JSON object ({@code response_format: json_object}), or a JSON schema. The schema subset:
 * {@code type} (object, array, string, number, integer, boolean, null, or a list of them),
 * {@code properties} with {@code required} (properties come in the schema's order; others are not
 * allowed), {@code items}, {@code enum}, {@code const}, {@code anyOf}/{@code oneOf}, and
 * {@code minItems}/{@code maxItems}. Anything else that changes what is valid ({@code $ref},
 * {@code pattern}, {@code allOf}...) is refused with the keyword named, rather than ignored.
 * Numbers are at most 16 digits and white space at most a few characters, so a model cannot loop
 * inside them.
 */
final class JsonGrammar {
    private static final Set<String> UNSUPPORTED = Set.of("$ref", "allOf", "not", "pattern", "patternProperties",
            "if", "then", "else", "dependentSchemas", "dependentRequired", "prefixItems", "contains", "format");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PRIMITIVES = """
            ws ::= [ \\t\\n]{0,4}
            string ::= "\\"" char* "\\"" ws
            char ::= [^"\\\\\\x7F\\x00-\\x1F] | "\\\\" (["\\\\/bfnrt] | "u" [0-9a-fA-F]{4})
            integer ::= "-"? ("0" | [1-9] [0-9]{0,15}) ws
            number ::= "-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,3})? ws
            boolean ::= ("true" | "false") ws
            null ::= "null" ws
            value ::= object | array | string | number | boolean | null
            object ::= "{" ws (string ":" ws value ("," ws string ":" ws value)*)? "}" ws
            array ::= "[" ws (value ("," ws value)*)? "]" ws
            """;

    private final Map<String, String> rules = new LinkedHashMap<>();
    private int next;

    private JsonGrammar() {}

    /** Any JSON object. */
    static String anyObject() {
        return "root ::= object\n" + PRIMITIVES;
    }

    /** JSON valid against {@code schema}; {@code where} names the field in errors. */
    static String forSchema(JsonNode schema, String where) {
        JsonGrammar g = new JsonGrammar();
        String root = g.rule(schema, where);
        StringBuilder sb = new StringBuilder("root ::= ").append(root).append('\n');
        g.rules.forEach((name, body) -> sb.append(name).append(" ::= ").append(body).append('\n'));
        return sb.append(PRIMITIVES).toString();
    }

    /** A grammar expression for {@code s}. */
    private String rule(JsonNode s, String where) {
        if (s == null || s.isNull() || (s.isBoolean() && s.booleanValue())) return "value";
        if (!s.isObject()) throw ApiException.invalid(where, where + " must be a JSON schema object");
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (UNSUPPORTED.contains(key)) throw ApiException.unsupported(where + "." + key, "the JSON schema keyword '" + key + "'");
        }
        if (s.has("const")) return literal(s.get("const"));
        if (s.has("enum")) {
            JsonNode values = s.get("enum");
            if (!values.isArray() || values.isEmpty()) throw ApiException.invalid(where + ".enum", "enum must be a non-empty list");
            List<String> alts = new ArrayList<>();
            values.forEach(v -> alts.add(literal(v)));
            return define("(" + String.join(" | ", alts) + ")");
        }
        for (String key : List.of("anyOf", "oneOf")) {
            if (s.has(key)) {
                List<String> alts = new ArrayList<>();
                for (int i = 0; i < s.get(key).size(); i++) alts.add(rule(s.get(key).get(i), where + "." + key + "[" + i + "]"));
                return define("(" + String.join(" | ", alts) + ")");
            }
        }
        JsonNode type = s.get("type");
        if (type == null) {
            if (s.has("properties")) return object(s, where);
            if (s.has("items")) return array(s, where);
            return "value";
        }
        if (type.isArray()) {
            List<String> alts = new ArrayList<>();
            for (JsonNode t : type) alts.add(typed(t.asText(), s, where));
            return define("(" + String.join(" | ", alts) + ")");
        }
        return typed(type.asText(), s, where);
    }

    private String typed(String type, JsonNode s, String where) {
        return switch (type) {
            case "object" -> s.has("properties") ? object(s, where) : "object";
            case "array" -> array(s, where);
            case "string", "number", "integer", "boolean", "null" -> type;
            default -> throw ApiException.invalid(where + ".type", "unknown JSON schema type '" + type + "'");
        };
    }

    private String object(JsonNode s, String where) {
        JsonNode props = s.get("properties");
        if (!props.isObject()) throw ApiException.invalid(where + ".properties", "properties must be an object");
        Set<String> required = new java.util.HashSet<>();
        s.path("required").forEach(r -> required.add(r.asText()));
        for (String r : required) {
            if (!props.has(r)) throw ApiException.invalid(where + ".required", "required names '" + r + "', which is not among the properties");
        }
        List<String> req = new ArrayList<>();
        List<String> opt = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String kv = literal(JSON.getNodeFactory().textNode(e.getKey())) + " \":\" ws "
                    + rule(e.getValue(), where + ".properties." + e.getKey());
            (required.contains(e.getKey()) ? req : opt).add(define(kv));
        }
        StringBuilder body = new StringBuilder("\"{\" ws ");
        if (!req.isEmpty()) {
            body.append(String.join(" \",\" ws ", req));
            for (String o : opt) body.append(" (\",\" ws ").append(o).append(")?");
        } else if (!opt.isEmpty()) {
            // the first property present is o_i, then any of the later ones, in order
            List<String> alts = new ArrayList<>();
            for (int i = 0; i < opt.size(); i++) {
                StringBuilder alt = new StringBuilder(opt.get(i));
                for (int j = i + 1; j < opt.size(); j++) alt.append(" (\",\" ws ").append(opt.get(j)).append(")?");
                alts.add(alt.toString());
            }
            body.append("(").append(String.join(" | ", alts)).append(")?");
        }
        body.append(" \"}\" ws");
        return define(body.toString());
    }

    private String array(JsonNode s, String where) {
        String item = rule(s.get("items"), where + ".items");
        int min = s.path("minItems").asInt(0);
        int max = s.has("maxItems") ? s.get("maxItems").asInt() : -1;
        if (min < 0 || (max >= 0 && max < min)) throw ApiException.invalid(where + ".maxItems", "maxItems must be at least minItems");
        String list;
        if (max == 0) {
            list = "";
        } else if (min == 0) {
            list = "(" + item + " (\",\" ws " + item + ")" + repeat(0, max < 0 ? -1 : max - 1) + ")?";
        } else {
            list = item + " (\",\" ws " + item + ")" + repeat(min - 1, max < 0 ? -1 : max - 1);
        }
        return define("\"[\" ws " + list + " \"]\" ws");
    }

    private static String repeat(int min, int max) {
        if (max < 0) return min == 0 ? "*" : "{" + min + ",}";
        return "{" + min + "," + max + "}";
    }

    private String define(String body) {
        String name = "r" + next++;
        rules.put(name, body);
        return name;
    }

    /** A grammar literal matching exactly the JSON text of {@code v}, then white space. */
    static String literal(JsonNode v) {
        String json;
        try {
            json = JSON.writeValueAsString(v);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : json.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append("\" ws").toString();
    }
}
