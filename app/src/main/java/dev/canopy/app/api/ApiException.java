package dev.canopy.app.api;

import java.util.Optional;

/**
 * A request the API answers with an error in its own shape (OpenAI's or Anthropic's).
 *
 * @param status HTTP status
 * @param param  the request field at fault, when one is
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final Optional<String> param;
    private final String type;

    public ApiException(int status, String type, Optional<String> param, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
    }

    /** 400 naming the field. */
    public static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", Optional.of(param), message);
    }

    public static ApiException unsupported(String param, String what) {
        return invalid(param, what + " is not supported by this server");
    }

    public int status() { return status; }
    public String type() { return type; }
    public Optional<String> param() { return param; }
}
