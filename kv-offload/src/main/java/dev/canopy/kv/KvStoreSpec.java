package dev.canopy.kv;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Everything that defines one conversation's KV store.
 *
 * @param directory      the KV folder ({@code --kv-dir}); it gets {@code <id>.kvpages} and {@code <id>.kvmanifest}
 * @param conversationId a file-name-safe id (letters, digits, '.', '_', '-')
 * @param identity       the model and settings the KV is valid for
 * @param layout         the KV shape and page sizes
 * @param budgets        tier budgets and the cold type
 * @param devices        the tiers' ggml buffer types ({@link TierDevices#detect()})
 */
public record KvStoreSpec(Path directory, String conversationId, StoreIdentity identity, KvLayout layout,
                          KvBudgets budgets, TierDevices devices) {

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public KvStoreSpec {
        if (directory == null || identity == null || layout == null || budgets == null || devices == null) {
            throw new IllegalArgumentException("every part of a KvStoreSpec is required");
        }
        if (conversationId == null || !SAFE_ID.matcher(conversationId).matches() || conversationId.startsWith(".")) {
            throw new IllegalArgumentException("conversation id must be 1-128 of [A-Za-z0-9._-], not starting with '.': " + conversationId);
        }
        if (layout.hotType().isQuantized() && budgets.coldType() != layout.hotType()) {
            throw new IllegalArgumentException("a " + layout.hotType() + " KV keeps its pages on disk as " + layout.hotType()
                    + ", not " + budgets.coldType());
        }
    }

    /** With the devices ggml lists on this machine. */
    public static KvStoreSpec of(Path directory, String conversationId, StoreIdentity identity, KvLayout layout, KvBudgets budgets) {
        return new KvStoreSpec(directory, conversationId, identity, layout, budgets, TierDevices.detect());
    }

    public KvStoreSpec withBudgets(KvBudgets b) {
        return new KvStoreSpec(directory, conversationId, identity, layout, b, devices);
    }

    public KvStoreSpec withIdentity(StoreIdentity id) {
        return new KvStoreSpec(directory, conversationId, id, layout, budgets, devices);
    }

    public KvStoreSpec withDevices(TierDevices d) {
        return new KvStoreSpec(directory, conversationId, identity, layout, budgets, d);
    }

    public Path pageFile() {
        return directory.resolve(conversationId + ".kvpages");
    }

    public Path manifestFile() {
        return directory.resolve(conversationId + ".kvmanifest");
    }
}
