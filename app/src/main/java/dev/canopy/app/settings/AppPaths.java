package dev.canopy.app.settings;

import dev.canopy.natives.UserDirs;

import java.nio.file.Path;

/**
 * Where Canopy's files live. {@code home} holds the small settings files and is {@link UserDirs#data()}
 * (which {@code CANOPY_HOME} overrides); the database, models and KV go under {@link #dataRoot},
 * which the user may move in Settings.
 */
public record AppPaths(Path home, Path dataRoot, Path modelsDir, Path kvDir) {

    public static AppPaths defaultHome() {
        return of(UserDirs.data(), AppSettings.defaults());
    }

    /** The paths for {@code home} with the folders {@code settings} chose. */
    public static AppPaths of(Path home, AppSettings settings) {
        Path data = settings.dataFolder().isBlank() ? home : Path.of(settings.dataFolder());
        Path models = settings.modelsFolder().isBlank() ? data.resolve("models") : Path.of(settings.modelsFolder());
        Path kv = settings.kvDiskFolder().isBlank() ? data.resolve("kv") : Path.of(settings.kvDiskFolder());
        return new AppPaths(home, data, models, kv);
    }

    public Path settingsFile() { return home.resolve("settings.json"); }
    public Path uiStateFile() { return home.resolve("ui-state.json"); }
    public Path modelListFile() { return dataRoot.resolve("models.json"); }
    public Path conversationsFile() { return dataRoot.resolve("conversations.json"); }
    public Path database() { return dataRoot.resolve("canopy.db"); }
}
