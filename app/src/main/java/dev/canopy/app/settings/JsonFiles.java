package dev.canopy.app.settings;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Small JSON files that must never stop the app from starting: a missing or damaged file reads as
 * the defaults (fields missing from an older file keep their default), and writes are atomic.
 */
public final class JsonFiles {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false)
            .configure(SerializationFeature.INDENT_OUTPUT, true);

    private JsonFiles() {}

    /** Reads {@code file} over {@code defaults}; returns the defaults when it is missing or unreadable. */
    public static <T> T read(Path file, Class<T> type, T defaults) {
        if (!Files.isRegularFile(file)) return defaults;
        try {
            ObjectNode merged = MAPPER.valueToTree(defaults);
            JsonNode stored = MAPPER.readTree(file.toFile());
            if (stored instanceof ObjectNode o) {
                o.properties().forEach(e -> { if (!e.getValue().isNull()) merged.set(e.getKey(), e.getValue()); });
            }
            return MAPPER.treeToValue(merged, type);
        } catch (IOException | IllegalArgumentException e) {
            return defaults;
        }
    }

    /** Writes {@code value} to {@code file} through a temporary file, so a crash never leaves half a file. */
    public static void write(Path file, Object value) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            MAPPER.writeValue(tmp.toFile(), value);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not save " + file + ": " + e.getMessage(), e);
        }
    }
}
