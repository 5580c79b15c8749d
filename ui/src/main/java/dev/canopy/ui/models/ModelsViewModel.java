package dev.canopy.ui.models;

import dev.canopy.app.errors.UserMessages;
import dev.canopy.app.models.ModelEntry;
import dev.canopy.app.models.ModelService;
import dev.canopy.ui.common.UiThreads;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.Locale;

/** The models view's state: local GGUF files with their metadata, import, and which one chats. */
public final class ModelsViewModel {
    private final ModelService models; // app service
    private final UiThreads threads;
    private final ObservableList<ModelEntry> entries = FXCollections.observableArrayList();
    private final StringProperty active = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);

    public ModelsViewModel(ModelService models, UiThreads threads) {
        this.models = models;
        this.threads = threads;
        refresh();
    }

    public ObservableList<ModelEntry> entries() { return entries; }
    public StringProperty activeProperty() { return active; }
    public StringProperty errorProperty() { return error; }
    public BooleanProperty busyProperty() { return busy; }

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
