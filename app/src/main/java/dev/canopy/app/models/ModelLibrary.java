package dev.canopy.app.models;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.canopy.app.settings.JsonFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The model files the user imported, downloaded or found by scanning: a list of paths in {@code models.json}. */
final class ModelLibrary {
    private final Path file;
    private final Set<Path> paths = new LinkedHashSet<>();

    ModelLibrary(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try {
                List<String> stored = JsonFiles.MAPPER.readValue(file.toFile(), new TypeReference<List<String>>() {});
                stored.forEach(s -> paths.add(Path.of(s).toAbsolutePath().normalize()));
            } catch (IOException | RuntimeException e) {
                // A damaged list starts empty; scanning the models folder finds the files again.
            }
        }
    }

    synchronized List<Path> paths() {
        return new ArrayList<>(paths);
    }

    synchronized boolean add(Path p) {
        boolean added = paths.add(p.toAbsolutePath().normalize());
        if (added) save();
        return added;
    }

    synchronized boolean remove(Path p) {
        boolean removed = paths.remove(p.toAbsolutePath().normalize());
        if (removed) save();
        return removed;
    }

    private void save() {
        JsonFiles.write(file, paths.stream().map(Path::toString).toList());
    }
}
