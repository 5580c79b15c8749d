package dev.canopy.app.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * How the local API server listens.
 *
 * @param host        interface to bind (loopback by default); any other needs {@code apiKey}
 * @param port        TCP port (0 = any free port)
 * @param apiKey      the key every route but /health asks for, or empty for none
 * @param parallel    answers generated at the same time (each in a slot with its own KV)
 * @param queue       requests that may wait for a slot; one more is answered 503
 * @param corsOrigins browser origins allowed to call the API (empty = CORS off)
 * @param logRequests whether message text may be logged
 * @param maxBodyBytes largest request body
 */
public record ApiConfig(String host, int port, Optional<String> apiKey, int parallel, int queue,
                        List<String> corsOrigins, boolean logRequests, long maxBodyBytes) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8377;
    public static final long DEFAULT_MAX_BODY = 32L << 20;

    public ApiConfig {
        if (host == null || host.isBlank()) host = DEFAULT_HOST;
        apiKey = apiKey.filter(k -> !k.isBlank());
        corsOrigins = List.copyOf(corsOrigins);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("the port must be between 0 and 65535, got " + port);
        if (parallel < 1) throw new IllegalArgumentException("--parallel must be at least 1, got " + parallel);
        if (queue < 0) throw new IllegalArgumentException("--queue must be 0 or more, got " + queue);
        if (maxBodyBytes < 1) throw new IllegalArgumentException("the body limit must be positive");
        if (apiKey.isEmpty() && !isLoopback(host)) {
            throw new IllegalArgumentException("refusing to listen on " + host
                    + " without an API key: other machines could use the model; add --api-key KEY or bind 127.0.0.1");
        }
    }

    /** Loopback defaults: 127.0.0.1:8377, no key, 2 slots, 16 waiting, CORS off, no text in the log. */
    public static ApiConfig defaults() {
        return new ApiConfig(DEFAULT_HOST, DEFAULT_PORT, Optional.empty(), 2, 16, List.of(), false, DEFAULT_MAX_BODY);
    }

    public ApiConfig withPort(int p) {
        return new ApiConfig(host, p, apiKey, parallel, queue, corsOrigins, logRequests, maxBodyBytes);
    }

    public ApiConfig withApiKey(Optional<String> key) {
        return new ApiConfig(host, port, key, parallel, queue, corsOrigins, logRequests, maxBodyBytes);
    }

    public ApiConfig withSlots(int parallelSlots, int waiting) {
        return new ApiConfig(host, port, apiKey, parallelSlots, waiting, corsOrigins, logRequests, maxBodyBytes);
    }

    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) return true;
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
