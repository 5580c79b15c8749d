package dev.canopy.app.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A checked {@code POST /v1/embeddings} body: texts (a string or a list of strings), how vectors
 * are written, and the dimensions asked for. Token arrays are a 400 naming {@code input}: OpenAI
 * clients send tiktoken's ids, which mean nothing to this model's vocabulary (decision 0165).
 *
 * @param inputs     the texts, in order
 * @param listed     whether {@code input} was a list (errors then name {@code input[i]})
 * @param encoding   float arrays or base64 of little-endian float32
 * @param dimensions the vector length asked for, if any (only the model's own is served)
 */
record EmbeddingRequest(List<String> inputs, Listing listed, Encoding encoding, OptionalInt dimensions) {
    /** OpenAI's own limit of inputs in one request. */
    static final int MAX_INPUTS = 2048;

    /** How the vectors are written. */
    enum Encoding { FLOAT, BASE64 }

    /** Whether {@code input} was one string or a list. */
    enum Listing { ONE, LIST }

    EmbeddingRequest {
        inputs = List.copyOf(inputs);
    }

    /** The request field that holds input {@code i}. */
    String param(int i) {
        return listed == Listing.LIST ? "input[" + i + "]" : "input";
    }

    static EmbeddingRequest parse(JsonNode body) {
        JsonNode input = body.get("input");
        List<String> texts = new ArrayList<>();
        Listing listing;
        if (input != null && input.isTextual()) {
            texts.add(input.asText());
            listing = Listing.ONE;
        } else if (input != null && input.isArray() && !input.isEmpty()) {
            if (input.size() > MAX_INPUTS) {
                throw ApiException.invalid("input", "input holds " + input.size() + " items; at most " + MAX_INPUTS + " a request");
            }
            for (int i = 0; i < input.size(); i++) {
                JsonNode item = input.get(i);
                if (item.isIntegralNumber() || item.isArray()) throw tokenArrays();
                if (!item.isTextual()) throw ApiException.invalid("input[" + i + "]", "input[" + i + "] must be a string");
                texts.add(item.asText());
            }
            listing = Listing.LIST;
        } else {
            throw ApiException.invalid("input", "input must be a string or a non-empty list of strings");
        }
        EmbeddingRequest r = new EmbeddingRequest(texts, listing, encoding(body), RequestFields.positiveInt(body, "dimensions"));
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isEmpty()) throw ApiException.invalid(r.param(i), r.param(i) + " is empty");
        }
        return r;
    }

    private static Encoding encoding(JsonNode body) {
        JsonNode f = body.get("encoding_format");
        if (f == null || f.isNull()) return Encoding.FLOAT;
        return switch (f.asText("")) {
            case "float" -> Encoding.FLOAT;
            case "base64" -> Encoding.BASE64;
            default -> throw ApiException.invalid("encoding_format", "encoding_format must be float or base64, not " + f);
        };
    }

    private static ApiException tokenArrays() {
        return ApiException.invalid("input", "input as token ids is not supported by this server: send text (token ids"
                + " depend on the model's vocabulary; LangChain's OpenAIEmbeddings needs check_embedding_ctx_length=False)");
    }
}
