package dev.canopy.natives;

import java.nio.file.Path;

/** The per-user folders the OS expects an application to use (data, cache). */
public final class UserDirs {
    private static final String APP = "Canopy";

    private UserDirs() {}

    /** Where Canopy keeps its database, settings and conversation KV; {@code CANOPY_HOME} overrides. */
    public static Path data() {
        String home = System.getenv("CANOPY_HOME");
        if (home != null && !home.isBlank()) return Path.of(home);
        Path userHome = Path.of(System.getProperty("user.home"));
        return switch (Platform.current().os()) {
            case "win" -> Path.of(envOr("APPDATA", userHome.resolve("AppData/Roaming").toString()), APP);
            case "mac" -> userHome.resolve("Library/Application Support").resolve(APP);
            default -> Path.of(envOr("XDG_DATA_HOME", userHome.resolve(".local/share").toString()), "canopy");
        };
    }

    /** Where Canopy keeps re-creatable files (extracted native libraries). */
    public static Path cache() {
        Path userHome = Path.of(System.getProperty("user.home"));
        return switch (Platform.current().os()) {
            case "win" -> Path.of(envOr("LOCALAPPDATA", userHome.resolve("AppData/Local").toString()), APP, "cache");
            case "mac" -> userHome.resolve("Library/Caches").resolve(APP);
            default -> Path.of(envOr("XDG_CACHE_HOME", userHome.resolve(".cache").toString()), "canopy");
        };
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
