package dev.canopy.ui.settings;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Checks the "KV folder" field: empty (the default under the data folder) or an absolute folder path. */
final class KvFolders {
    private KvFolders() {}

    /** The folder as it is saved ({@code ""} for the default); throws with a message naming the field. */
    static String check(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) return "";
        Path p;
        try {
            p = Path.of(t);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("KV folder \"" + t + "\" is not a valid path.");
        }
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("KV folder must be a full path (like " + Path.of(System.getProperty("user.home"), "canopy-kv")
                    + "), or empty for the default.");
        }
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new IllegalArgumentException("KV folder " + t + " is a file, not a folder.");
        }
        return t;
    }
}
