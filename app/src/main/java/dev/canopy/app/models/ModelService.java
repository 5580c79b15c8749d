package dev.canopy.app.models;

import dev.canopy.app.errors.UserFacingException;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.engine.EngineKind;
import dev.canopy.engine.Engines;
import dev.canopy.engine.ModelInfo;
import dev.canopy.engine.ModelInspector;
import dev.canopy.natives.llama.GgufPrecheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The local model files: import one, scan a folder, read each file's metadata, say which engine runs
 * it and how much memory it needs. Imported files stay where they are; Canopy remembers their paths.
 */
public final class ModelService {
    private static final int SCAN_DEPTH = 4;

    private final SettingsStore settings;
    private final ModelLibrary library;
    private final Map<Path, Cached> cache = new ConcurrentHashMap<>();
    private volatile SystemResources resources;

    private record Cached(long size, long modified, ModelEntry entry) {}

    public ModelService(SettingsStore settings) {
        this.settings = settings;
        this.library = new ModelLibrary(settings.paths().modelListFile());
    }

    /** Every known model, readable or not, sorted by name. Reads metadata (cached by size and date). */
    public List<ModelEntry> list() {
        List<ModelEntry> out = new ArrayList<>();
        for (Path p : library.paths()) out.add(entry(p));
        out.sort(Comparator.comparing(e -> e.displayName().toLowerCase(Locale.ROOT)));
        return out;
    }

    /** Adds a .gguf file (checked and inspected first); returns its entry. */
    public ModelEntry importFile(Path file) {
        Path p = file.toAbsolutePath().normalize();
        if (!p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            throw new UserFacingException(p.getFileName() + " is not a .gguf file. Canopy runs GGUF models; "
                    + "download one from the Models view or convert yours with llama.cpp's convert_hf_to_gguf.py.");
        }
        GgufPrecheck.check(p);
        ModelEntry e = entry(p);
        if (e.problem().isPresent()) throw new UserFacingException(e.problem().get());
        library.add(p);
        return e;
    }

    /** Finds .gguf files under {@code folder} (a few levels deep) and adds the readable ones. */
    public List<ModelEntry> scanFolder(Path folder, BooleanSupplier cancelled) {
        if (!Files.isDirectory(folder)) throw new UserFacingException(folder + " is not a folder. Choose a folder that holds .gguf files.");
        List<ModelEntry> found = new ArrayList<>();
        try (Stream<Path> files = Files.find(folder, SCAN_DEPTH, (p, a) -> a.isRegularFile() && isModelFileName(p))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (cancelled.getAsBoolean()) break;
                ModelEntry e = entry(p.toAbsolutePath().normalize());
                if (e.usable()) {
                    library.add(e.file());
                    found.add(e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** Forgets a model (the file stays on disk). */
    public void remove(Path file) {
        library.remove(file);
        cache.remove(file.toAbsolutePath().normalize());
    }

    /** Forgets a model and deletes its file. */
    public void deleteFile(Path file) throws IOException {
        remove(file);
        Files.deleteIfExists(file);
    }

    /** The active model, if one is chosen and still known. */
    public Optional<ModelEntry> active() {
        String a = settings.settings().activeModel();
        if (a.isBlank()) return Optional.empty();
        return Optional.of(entry(Path.of(a).toAbsolutePath().normalize()));
    }

    public void setActive(Path file) {
        settings.save(settings.settings().withActiveModel(file.toAbsolutePath().normalize().toString()));
    }

    /** The machine's memory and devices (detected once). */
    public SystemResources resources() {
        SystemResources r = resources;
        if (r == null) resources = r = SystemResources.detect();
        return r;
    }

    /** The folder downloads go to and scanning starts from. */
    public Path modelsFolder() {
        return settings.paths().modelsDir();
    }

    /** Which engine runs a model of this architecture. */
    public static EngineKind engineFor(String architecture) {
        return Engines.canopyArchitectures().contains(architecture) ? EngineKind.CANOPY : EngineKind.LLAMA;
    }

    static boolean isModelFileName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!n.endsWith(".gguf") || n.contains("mmproj") || n.startsWith("ggml-vocab")) return false;
        // Split models: only the first part is loaded by name.
        return !n.matches(".*-\\d{5}-of-\\d{5}\\.gguf") || n.matches(".*-00001-of-\\d{5}\\.gguf");
    }

    private ModelEntry entry(Path p) {
        long size, modified;
        try {
            size = Files.size(p);
            modified = Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return new ModelEntry(p, Optional.empty(), EngineKind.LLAMA, Optional.empty(),
                    Optional.of("The file is missing: " + p + ". Import it again or remove it from the list."));
        }
        Cached c = cache.get(p);
        if (c != null && c.size == size && c.modified == modified) return c.entry;
        ModelEntry e = inspect(p);
        cache.put(p, new Cached(size, modified, e));
        return e;
    }

    private ModelEntry inspect(Path p) {
        try {
            ModelInfo info = ModelInspector.inspect(p);
            MemoryEstimate mem = MemoryEstimate.of(info, settings.settings().contextTokens());
            return new ModelEntry(p, Optional.of(info), engineFor(info.architecture()), Optional.of(mem), Optional.empty());
        } catch (RuntimeException | LinkageError e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new ModelEntry(p, Optional.empty(), EngineKind.LLAMA, Optional.empty(),
                    Optional.of("Canopy cannot read this file: " + why));
        }
    }
}
