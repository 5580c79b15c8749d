package dev.canopy.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.natives.llama.ChatMessage;
import dev.canopy.natives.llama.SamplerSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads the request fields both APIs share, checking each: a wrong type or range, or something
 * this server does not do (n > 1, images, tools, logprobs), is a 400 naming the field. Fields it
 * does not know are ignored.
 */
final class RequestFields {
    /** Temperature when a request names none (llama.cpp's server uses the same). */
    static final float DEFAULT_TEMPERATURE = 0.8f;

    private RequestFields() {}

    static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) throw ApiException.invalid("body", "the request body must be a JSON object");
        return body;
    }

    static boolean bool(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return false;
        if (!n.isBoolean()) throw ApiException.invalid(field, field + " must be true or false");
        return n.booleanValue();
    }

    static OptionalInt positiveInt(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return OptionalInt.empty();
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() < 1) {
            throw ApiException.invalid(field, field + " must be a whole number of at least 1, got " + n);
        }
        return OptionalInt.of(n.intValue());
    }

    static float number(JsonNode body, String field, float fallback, float min, float max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isNumber() || n.floatValue() < min || n.floatValue() > max) {
            throw ApiException.invalid(field, field + " must be a number from " + fmt(min) + " to " + fmt(max) + ", got " + n);
        }
        return n.floatValue();
    }

    static void unsupportedIfSet(JsonNode body, String field, String what) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull() || (n.isBoolean() && !n.booleanValue()) || (n.isArray() && n.isEmpty())) return;
        throw ApiException.unsupported(field, what);
    }

    /** Stop strings: a string or a list of strings (OpenAI's {@code stop}, Anthropic's {@code stop_sequences}). */
    static List<String> stops(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return List.of();
        if (n.isTextual()) return n.asText().isEmpty() ? List.of() : List.of(n.asText());
        if (!n.isArray()) throw ApiException.invalid(field, field + " must be a string or a list of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode s : n) {
            if (!s.isTextual()) throw ApiException.invalid(field, field + " must hold strings only");
            if (!s.asText().isEmpty()) out.add(s.asText());
        }
        return out;
    }

    /** Sampling from temperature, top_p, top_k, min_p, seed, the penalties and a grammar (null for none). */
    static SamplerSettings sampling(JsonNode body, float maxTemperature, String grammar) {
        float temperature = number(body, "temperature", DEFAULT_TEMPERATURE, 0f, maxTemperature);
        float topP = number(body, "top_p", 1f, 0f, 1f);
        float minP = number(body, "min_p", 0f, 0f, 1f);
        JsonNode k = body.get("top_k");
        int topK = 0;
        if (k != null && !k.isNull()) {
            if (!k.isIntegralNumber() || k.intValue() < 0) throw ApiException.invalid("top_k", "top_k must be a whole number of 0 or more, got " + k);
            topK = k.intValue();
        }
        JsonNode s = body.get("seed");
        long seed;
        if (s == null || s.isNull()) {
            seed = ThreadLocalRandom.current().nextInt() & 0x7fffffff;
        } else {
            if (!s.isIntegralNumber()) throw ApiException.invalid("seed", "seed must be a whole number, got " + s);
            seed = s.longValue();
        }
        float frequency = number(body, "frequency_penalty", 0f, -2f, 2f);
        float presence = number(body, "presence_penalty", 0f, -2f, 2f);
        return new SamplerSettings(temperature, topK, topP, minP, 1f, 64, seed, grammar, frequency, presence);
    }

    /** A message's text: a string, or a list of text parts; images and other parts are a 400 naming their place. */
    static String text(JsonNode content, String where) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.asText();
        if (!content.isArray()) throw ApiException.invalid(where, where + " must be a string or a list of text parts");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String type = part.path("type").asText("");
            if (!type.equals("text")) {
                String what = type.startsWith("image") ? "images" : "content of type '" + type + "'";
                throw ApiException.unsupported(where + "[" + i + "]", what);
            }
            sb.append(part.path("text").asText(""));
        }
        return sb.toString();
    }

    /** One chat message of {@code role} (system, developer, user or assistant). */
    static ChatMessage message(String role, String text, String where) {
        return switch (role.toLowerCase(Locale.ROOT)) {
            case "system", "developer" -> ChatMessage.system(text);
            case "user" -> ChatMessage.user(text);
            case "assistant" -> ChatMessage.assistant(text);
            case "tool", "function" -> throw ApiException.unsupported(where, "tool messages");
            default -> throw ApiException.invalid(where, where + " must be system, user or assistant, not '" + role + "'");
        };
    }

    private static String fmt(float f) {
        return f == (int) f ? String.valueOf((int) f) : String.valueOf(f);
    }
}
