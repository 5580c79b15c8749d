package dev.canopy.app.api;

import dev.canopy.app.errors.UserFacingException;
import dev.canopy.app.settings.JsonFiles;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The desktop's "Local API server": starts and stops an {@link ApiServer} on loopback over the
 * desktop's model, and keeps its settings in {@code api-server.json}. Owns the running server.
 */
public final class LocalApiService implements AutoCloseable {
    /** What Settings shows: on/off, port, and the key (empty = none). */
    public record Settings(boolean enabled, int port, String key) {
        public Settings {
            if (key == null) key = "";
        }

        public static Settings defaults() {
            return new Settings(false, ApiConfig.DEFAULT_PORT, "");
        }
    }

    /** The status line: where it listens, answers served, clients with an answer running or waiting. */
    public record Status(boolean running, String url, long served, int activeClients) {}

    private final Path file;
    private final ModelAccess access;
    private final Supplier<String> modelId;
    private ApiServer server; // owned, null when stopped
    private Settings settings;

    public LocalApiService(Path settingsFile, ModelAccess access, Supplier<String> modelId) {
        this.file = settingsFile;
        this.access = access;
        this.modelId = modelId;
        this.settings = JsonFiles.read(file, Settings.class, Settings.defaults());
    }

    public synchronized Settings settings() { return settings; }

    /** Saves {@code s} and starts, restarts or stops the server to match; a port in use is a readable error. */
    public synchronized Status apply(Settings s) {
        if (s.port() < 1 || s.port() > 65535) throw new UserFacingException("The port must be between 1 and 65535.");
        settings = s;
        JsonFiles.write(file, s);
        stop();
        if (s.enabled()) start();
        return status();
    }

    /** Starts the server if Settings left it on (at app start); a failure is returned, not thrown. */
    public synchronized Optional<String> startIfEnabled() {
        if (!settings.enabled() || server != null) return Optional.empty();
        try {
            start();
            return Optional.empty();
        } catch (UserFacingException e) {
            return Optional.of(e.getMessage());
        }
    }

    public synchronized Status status() {
        return server == null ? new Status(false, "", 0, 0)
                : new Status(true, server.url(), server.requestsServed(), server.activeClients());
    }

    /** A new random key. */
    public static String newKey() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return "canopy-" + HexFormat.of().formatHex(b);
    }

    private void start() {
        ApiConfig config = new ApiConfig(ApiConfig.DEFAULT_HOST, settings.port(), Optional.of(settings.key()), 2, 16,
                List.of(), false, ApiConfig.DEFAULT_MAX_BODY);
        try {
            server = ApiServer.start(config, access, modelId);
        } catch (IllegalStateException e) {
            throw new UserFacingException("The local API server could not start: " + e.getMessage()
                    + ". Choose another port.");
        }
    }

    private void stop() {
        if (server != null) server.close();
        server = null;
    }

    @Override
    public synchronized void close() {
        stop();
    }
}
