package dev.canopy.kv;

import java.nio.file.Path;

/**
 * Everything that defines one conversation's KV store.
 *
 * @param directory      the KV folder ({@code --kv-dir}); it gets {@link KvKey#pageFile} and {@link KvKey#manifestFile}
 * @param key            whose KV it is: the name it is saved under
 * @param identity       the model and settings the KV is valid for
 * @param layout         the KV shape and page sizes
 * @param budgets        tier budgets and the cold type
 * @param devices        the tiers' ggml buffer types ({@link TierDevices#detect()})
 */
public record KvStoreSpec(Path directory, KvKey key, StoreIdentity identity, KvLayout layout,
                          KvBudgets budgets, TierDevices devices) {

    public KvStoreSpec {
        if (directory == null || key == null || identity == null || layout == null || budgets == null || devices == null) {
            throw new IllegalArgumentException("every part of a KvStoreSpec is required");
        }
        if (layout.hotType().isQuantized() && budgets.coldType() != layout.hotType()) {
            throw new IllegalArgumentException("a " + layout.hotType() + " KV keeps its pages on disk as " + layout.hotType()
                    + ", not " + budgets.coldType());
        }
    }

    /** With the devices ggml lists on this machine. */
    public static KvStoreSpec of(Path directory, KvKey key, StoreIdentity identity, KvLayout layout, KvBudgets budgets) {
        return new KvStoreSpec(directory, key, identity, layout, budgets, TierDevices.detect());
    }

    public KvStoreSpec withBudgets(KvBudgets b) {
        return new KvStoreSpec(directory, key, identity, layout, b, devices);
    }

    public KvStoreSpec withIdentity(StoreIdentity id) {
        return new KvStoreSpec(directory, key, id, layout, budgets, devices);
    }

    public KvStoreSpec withDevices(TierDevices d) {
        return new KvStoreSpec(directory, key, identity, layout, budgets, d);
    }

    public Path pageFile() {
        return key.pageFile(directory);
    }

    public Path manifestFile() {
        return key.manifestFile(directory);
    }
}
