package dev.canopy.memory.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.memory.db.Database;
import dev.canopy.memory.db.MemoryStoreException;
import dev.canopy.memory.forest.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.InstantSource;

/** Export to and import from the JSON file described by {@link ExportFormat}. */
public final class MemoryExport {

    /** What an import added. */
    public record ImportReport(int conversations, int messages, int facts, int factsMerged) {
    }

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private MemoryExport() {
    }

    /** Writes everything to {@code file} (atomically: a temporary file is moved into place). */
    public static void write(Database db, Path file) {
        ExportFormat.File content = db.read("exporting", ExportWriter::collect);
        try {
            Path abs = file.toAbsolutePath();
            Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), content);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MemoryStoreException(MemoryStoreException.Kind.FAILED,
                    "Cannot write the export to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Adds the file's contents to the database in one transaction (all or nothing). */
    public static ImportReport read(Database db, Router router, Path file, InstantSource clock) {
        ExportFormat.File content;
        try {
            content = JSON.readValue(file.toFile(), ExportFormat.File.class);
        } catch (IOException e) {
            throw new MemoryStoreException(MemoryStoreException.Kind.INVALID,
                    "Cannot read " + file + " as a Canopy memory export: " + e.getMessage(), e);
        }
        if (content == null || !ExportFormat.FORMAT.equals(content.format())) {
            throw new MemoryStoreException(MemoryStoreException.Kind.INVALID, file + " is not a Canopy memory export");
        }
        if (content.version() > ExportFormat.VERSION) {
            throw new MemoryStoreException(MemoryStoreException.Kind.TOO_NEW, file + " was exported by a newer Canopy "
                    + "(format version " + content.version() + ")");
        }
        return db.write("importing", s -> new ExportReader(s, router, clock).load(content));
    }
}
