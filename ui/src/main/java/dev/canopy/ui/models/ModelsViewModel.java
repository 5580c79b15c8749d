package dev.canopy.ui.models;

import dev.canopy.app.download.ModelDownloader;
import dev.canopy.app.errors.UserMessages;
import dev.canopy.app.models.MemoryFit;
import dev.canopy.app.models.ModelEntry;
import dev.canopy.app.models.ModelService;
import dev.canopy.app.models.SystemResources;
import dev.canopy.ui.common.UiThreads;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The models view's state: local GGUF files with their metadata and memory need, import a file or
 * a typed path, scan a folder, and which one chats. Downloads are {@link DownloadViewModel}'s.
 */
public final class ModelsViewModel {
    private final ModelService models; // app service
    private final UiThreads threads;
    private final ObservableList<ModelEntry> entries = FXCollections.observableArrayList();
    private final StringProperty active = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty source = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final DownloadViewModel downloads;
    private final BooleanProperty scanning = new SimpleBooleanProperty(false);
    private volatile boolean scanCancelled;

    public ModelsViewModel(ModelService models, UiThreads threads) {
        this(models, new ModelDownloader(), threads);
    }

    public ModelsViewModel(ModelService models, ModelDownloader downloader, UiThreads threads) {
        this.models = models;
        this.threads = threads;
        // Downloads get their own worker: a long download must not hold up imports and scans.
        this.downloads = new DownloadViewModel(downloader, models.modelsFolder(), UiThreads.of(threads.ui()), this::importFile);
        refresh();
    }

    /** Downloads into the models folder; a finished download is imported. */
    public DownloadViewModel downloads() { return downloads; }

    public ObservableList<ModelEntry> entries() { return entries; }
    public StringProperty activeProperty() { return active; }
    public StringProperty errorProperty() { return error; }
    public BooleanProperty busyProperty() { return busy; }
    /** What the user typed: a .gguf file or a folder to scan (web addresses go to the downloads). */
    public StringProperty sourceProperty() { return source; }
    /** What the last action did, in words. */
    public StringProperty messageProperty() { return message; }
    public Path modelsFolder() { return models.modelsFolder(); }
    /** Whether a folder scan is running (it can be stopped). */
    public BooleanProperty scanningProperty() { return scanning; }

    /** Imports the typed file, scans the typed folder, or downloads the typed web address. */
    public void addTyped() {
        String t = source.get() == null ? "" : source.get().strip();
        error.set("");
        if (t.isEmpty()) { error.set("Type the path of a .gguf file or of a folder that holds some, or paste a link."); return; }
        if (DownloadViewModel.isAddress(t)) {
            downloads.addressProperty().set(t);
            downloads.downloadTyped();
            if (downloads.errorProperty().get().isEmpty()) source.set("");
            return;
        }
        Path p;
        try {
            p = Path.of(t.startsWith("~" ) ? System.getProperty("user.home") + t.substring(1) : t);
        } catch (RuntimeException e) {
            error.set("\"" + t + "\" is not a file path.");
            return;
        }
        if (Files.isDirectory(p)) scanFolder(p);
        else importFile(p);
    }

    /** Finds the .gguf files under {@code folder} off the UI thread and adds the readable ones. */
    public void scanFolder(Path folder) {
        busy.set(true);
        error.set("");
        message.set("Looking for models in " + folder + "…");
        scanCancelled = false;
        scanning.set(true);
        threads.inBackground(() -> {
            try {
                int n = models.scanFolder(folder, () -> scanCancelled).size();
                threads.onUi(() -> {
                    message.set(n == 0 ? "No usable .gguf models in " + folder + "."
                            : "Found " + n + (n == 1 ? " model" : " models") + " in " + folder + ".");
                    if (models.active().isEmpty()) models.list().stream().filter(ModelEntry::usable).findFirst()
                            .ifPresent(e -> models.setActive(e.file()));
                    refresh();
                    scanning.set(false);
                    busy.set(false);
                });
            } catch (RuntimeException ex) {
                threads.onUi(() -> {
                    message.set("");
                    error.set(UserMessages.describe("model folder", ex).text());
                    scanning.set(false);
                    busy.set(false);
                });
            }
        });
    }

    /** Stops a folder scan after the file being read. */
    public void cancelScan() { scanCancelled = true; }

    /** Reads the file's metadata off the UI thread, adds it and makes it the chat model when none is chosen. */
    public void importFile(Path file) {
        busy.set(true);
        error.set("");
        threads.inBackground(() -> {
            try {
                ModelEntry e = models.importFile(file);
                threads.onUi(() -> {
                    if (!e.usable()) error.set(e.problem().orElse("This file cannot be used as a model."));
                    else if (models.active().isEmpty()) models.setActive(e.file());
                    if (e.usable()) { message.set("Added " + e.displayName() + "."); source.set(""); }
                    refresh();
                    busy.set(false);
                });
            } catch (RuntimeException ex) {
                threads.onUi(() -> {
                    error.set(UserMessages.describe("model", ex).text());
                    busy.set(false);
                });
            }
        });
    }

    public void use(ModelEntry e) {
        if (!e.usable()) return;
        models.setActive(e.file());
        refresh();
    }

    public void remove(ModelEntry e) {
        models.remove(e.file());
        refresh();
    }

    public void refresh() {
        entries.setAll(models.list());
        active.set(models.active().map(m -> m.file().toString()).orElse(""));
    }

    /** The model's estimated memory need against this machine's memory, in words. */
    public String memoryNeed(ModelEntry e) {
        return e.memory().map(m -> needText(m.totalBytes(), m.contextTokens(), m.fitOn(models.resources()), models.resources()))
                .orElse("");
    }

    static String needText(long need, int context, MemoryFit fit, SystemResources machine) {
        String base = String.format(Locale.ROOT, "Needs about %s at %,d tokens of context", size(need), context);
        return base + switch (fit) {
            case FITS -> " · fits this computer (" + size(machine.memoryTotal()) + ")";
            case TIGHT -> " · tight: uses most of the free memory (" + size(machine.memoryFree()) + " free)";
            case TOO_BIG -> " · too big for this computer (" + size(machine.memoryTotal()) + ")";
        };
    }

    /** Whether a suggested download would fit this computer, in words ("Fits this computer"). */
    public MemoryFit fit(dev.canopy.app.models.CuratedModel m) {
        // weights, a KV window of 8K tokens for a small model, and the runtime's own overhead
        return new dev.canopy.app.models.MemoryEstimate(m.approxBytes(), 256L << 20, 300L << 20, 8192).fitOn(models.resources());
    }

    public static String fitText(MemoryFit f) {
        return switch (f) {
            case FITS -> "Fits this computer";
            case TIGHT -> "Tight: uses most of the free memory";
            case TOO_BIG -> "Too big for this computer";
        };
    }

    public static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
    }

    /** One line about a model: architecture, size, quantization, context, engine. */
    public static String describe(ModelEntry e) {
        if (e.info().isEmpty()) return e.problem().orElse("Unreadable");
        var i = e.info().get();
        return String.format(Locale.ROOT, "%s · %s · %s · context %,d · %.0f MB · %s", i.architecture(),
                params(i.parameters()), i.quantization(), i.contextLength(), i.fileBytes() / 1e6,
                e.engine().name().equals("CANOPY") ? "Canopy engine" : "llama.cpp fallback");
    }

    private static String params(long n) {
        return n >= 1_000_000_000 ? String.format(Locale.ROOT, "%.1fB params", n / 1e9)
                : String.format(Locale.ROOT, "%.0fM params", n / 1e6);
    }
}
