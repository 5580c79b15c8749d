package dev.canopy.ui.chat;

import dev.canopy.app.chat.ChatService;
import dev.canopy.app.errors.UserMessages;
import dev.canopy.engine.EngineKind;
import dev.canopy.app.models.ModelEntry;
import dev.canopy.app.models.ModelService;
import dev.canopy.app.settings.ComputeDevices;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.ui.common.UiThreads;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The chat's model bar: which model answers, a switcher over the usable models, whether it is
 * loaded (and loading, after a switch), and the engine and device it runs on.
 */
public final class ModelBarViewModel {
    /**
     * A model the switcher offers.
     *
     * @param file  its .gguf file
     * @param label its name as shown
     */
    public record Choice(Path file, String label) {
        @Override public String toString() { return label; }
    }

    private final ModelService models;   // app service
    private final ChatService chat;      // app service
    private final SettingsStore settings; // app service
    private final UiThreads threads;
    private final ObservableList<Choice> choices = FXCollections.observableArrayList();
    private final ObjectProperty<Choice> selected = new SimpleObjectProperty<>();
    private final StringProperty details = new SimpleStringProperty("");
    private final StringProperty loadState = new SimpleStringProperty("");
    private String engineText = "";
    private final ComputeDevices devices;
    private final BooleanProperty loading = new SimpleBooleanProperty(false);
    private final StringProperty error = new SimpleStringProperty("");
    private boolean updating;

    public ModelBarViewModel(ModelService models, ChatService chat, SettingsStore settings, UiThreads threads) {
        this(models, chat, settings, threads, ComputeDevices.ofThisMachine());
    }

    /** {@code devices} says where a model not loaded yet will run (the GPU setting on a machine without one: the CPU). */
    public ModelBarViewModel(ModelService models, ChatService chat, SettingsStore settings, UiThreads threads,
                             ComputeDevices devices) {
        this.devices = devices;
        this.models = models;
        this.chat = chat;
        this.settings = settings;
        this.threads = threads;
        selected.addListener((o, a, b) -> { if (!updating && b != null && (a == null || !a.file().equals(b.file()))) choose(b); });
        refresh();
    }

    public ObservableList<Choice> choices() { return choices; }
    public ObjectProperty<Choice> selectedProperty() { return selected; }
    /** "Canopy engine · CPU (no GPU found)" or "Canopy engine · GPU …". */
    public StringProperty detailsProperty() { return details; }
    /** "Loaded", "Loading…", or "Loads when you send". */
    public StringProperty loadStateProperty() { return loadState; }
    public BooleanProperty loadingProperty() { return loading; }
    public StringProperty errorProperty() { return error; }

    /** Re-reads the models and the chosen one (the Models view or the settings changed them). */
    public void refresh() {
        updating = true;
        try {
            choices.setAll(models.list().stream().filter(ModelEntry::usable)
                    .map(e -> new Choice(e.file(), e.displayName())).toList());
            Choice active = models.active().flatMap(a -> choices.stream().filter(c -> c.file().equals(a.file())).findFirst())
                    .orElse(null);
            if (!Objects.equals(selected.get(), active)) selected.set(active);
        } finally {
            updating = false;
        }
        EngineKind engine = models.active().map(ModelEntry::engine).orElse(null);
        engineText = engine == null ? "" : engine == EngineKind.CANOPY ? "Canopy engine" : "llama.cpp fallback";
        details.set(engineText);   // and where it runs, once updateLoadState has asked (the device list loads the natives)
        if (!loading.get()) updateLoadState();
    }

    /** Makes {@code c} the chat model and loads it in the background, so the next answer starts at once. */
    public void choose(Choice c) {
        if (c == null) return;
        error.set("");
        models.setActive(c.file());
        loading.set(true);
        loadState.set("Loading " + c.label() + "…");
        threads.inBackground(() -> {
            try {
                chat.preload();
                threads.onUi(() -> { loading.set(false); refresh(); });
            } catch (RuntimeException e) {
                threads.onUi(() -> {
                    loading.set(false);
                    error.set(UserMessages.describe("model", e).text());
                    refresh();
                });
            }
        });
    }

    /** The chat is loading the model itself (its first answer) or has finished. */
    public void answerPhase(boolean loadingModel) {
        loading.set(loadingModel);
        if (loadingModel) loadState.set("Loading the model…");
        else updateLoadState();
    }

    private void updateLoadState() {
        if (selected.get() == null) { loadState.set(""); return; }
        threads.inBackground(() -> {
            boolean loaded = chat.isActiveModelLoaded();
            // where it runs once loaded; before, where it will (a GPU setting on a machine without one: the CPU)
            String where = loaded ? chat.runsOn().orElse("") : devices.planned(settings.settings());
            threads.onUi(() -> {
                if (loading.get()) return;
                loadState.set(loaded ? "Loaded" : "Loads when you send");
                if (!engineText.isEmpty() && !where.isBlank()) details.set(engineText + " · " + where);
            });
        });
    }
}
