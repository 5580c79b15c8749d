package dev.canopy.kv;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The name a saved KV is kept under: {@code <name>.kvpages} and {@code <name>.kvmanifest} in the KV
 * folder. A name is checked once, here (1-128 of letters, digits, '.', '_', '-', not starting with
 * '.'), so it is always a safe file name; the factories say whose KV it is.
 *
 * @param name the file name without its extension
 */
public record KvKey(String name) {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public KvKey {
        if (name == null || !SAFE.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException("a KV name must be 1-128 of [A-Za-z0-9._-], not starting with '.': " + name);
        }
    }

    /** A chat conversation's KV, by the conversation's row id: its decimal number, as chats' KVs have always been saved. */
    public static KvKey conversation(long rowId) {
        if (rowId < 0) throw new IllegalArgumentException("a conversation's row id is not negative: " + rowId);
        return new KvKey(Long.toString(rowId));
    }

    /** The KV of the local API server's slot {@code slot}: {@code api-slot-N}. */
    public static KvKey apiSlot(int slot) {
        if (slot < 0) throw new IllegalArgumentException("an API slot is not negative: " + slot);
        return new KvKey("api-slot-" + slot);
    }

    /** A name given by hand (the command line's {@code --kv-conversation}, benchmarks, tests). */
    public static KvKey named(String name) {
        return new KvKey(name);
    }

    /** The page file in {@code folder}. */
    public Path pageFile(Path folder) {
        return folder.resolve(name + ".kvpages");
    }

    /** The manifest in {@code folder}. */
    public Path manifestFile(Path folder) {
        return folder.resolve(name + ".kvmanifest");
    }

    @Override
    public String toString() {
        return name;
    }
}
