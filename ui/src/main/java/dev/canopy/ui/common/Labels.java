package dev.canopy.ui.common;

import dev.canopy.app.settings.ComputeDevice;
import dev.canopy.app.settings.Theme;

/** Human labels for the app's choices (never an enum name on screen). */
public final class Labels {
    private Labels() {}

    public static String of(Theme t) {
        return t == null ? "" : switch (t) {
            case LIGHT -> "Light";
            case DARK -> "Dark";
            case SYSTEM -> "Follow the system";
        };
    }

    public static String of(ComputeDevice d) {
        return d == null ? "" : switch (d) {
            case CPU -> "Processor (CPU)";
            case GPU -> "Graphics card (GPU)";
        };
    }

    /** {@code s} with its first letter upper-case, as a label starts ("brief" → "Brief", "lines 3–8" → "Lines 3–8"). */
    public static String sentence(String s) {
        return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A string converter for a choice box of {@code T} that shows {@code label}. */
    public static <T> javafx.util.StringConverter<T> converter(java.util.function.Function<T, String> label) {
        return new javafx.util.StringConverter<>() {
            @Override public String toString(T t) { return t == null ? "" : label.apply(t); }
            @Override public T fromString(String s) { return null; }
        };
    }
}
