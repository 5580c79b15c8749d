package dev.canopy.app.settings;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Loads and saves {@link AppSettings} and {@link UiState}; tells listeners when settings change. */
public final class SettingsStore {
    private final Path home;
    private final List<Consumer<AppSettings>> listeners = new CopyOnWriteArrayList<>();
    private volatile AppSettings settings;
    private volatile UiState uiState;

    public SettingsStore(Path home) {
        this.home = home;
        AppPaths bare = AppPaths.of(home, AppSettings.defaults());
        this.settings = JsonFiles.read(bare.settingsFile(), AppSettings.class, AppSettings.defaults());
        this.uiState = JsonFiles.read(bare.uiStateFile(), UiState.class, UiState.defaults());
    }

    public AppSettings settings() { return settings; }
    public UiState uiState() { return uiState; }
    public AppPaths paths() { return AppPaths.of(home, settings); }

    public void save(AppSettings s) {
        JsonFiles.write(paths().settingsFile(), s);
        settings = s;
        listeners.forEach(l -> l.accept(s));
    }

    public void saveUiState(UiState s) {
        JsonFiles.write(paths().uiStateFile(), s);
        uiState = s;
    }

    public void onChange(Consumer<AppSettings> listener) {
        listeners.add(listener);
    }
}
