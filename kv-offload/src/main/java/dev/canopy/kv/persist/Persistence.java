package dev.canopy.kv.persist;

import dev.canopy.kv.KvStoreSpec;
import dev.canopy.kv.tier.DiskTier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.util.Optional;

/**
 * A store's saved form on disk: the manifest ({@link Manifest}) next to the page file. Writes a
 * {@link KvSnapshot}, and reads one back with the page file opened, when it is valid for a spec.
 */
public final class Persistence {
    private static final System.Logger LOG = System.getLogger(Persistence.class.getName());

    /**
     * A saved store that may be reused.
     *
     * @param disk         the page file, opened and locked; owned by whoever takes this
     * @param snapshot     what the manifest recorded
     * @param sharedTokens how many leading tokens the saved store shares with the conversation
     */
    public record Saved(DiskTier disk, KvSnapshot snapshot, int sharedTokens) {}

    private Persistence() {}

    /** Writes the manifest of {@code s} (its pages already on disk, the page file forced), atomically. */
    public static void save(KvStoreSpec spec, long slotBytes, KvSnapshot s) {
        Manifest m = new Manifest(spec.identity(), spec.layout(), spec.budgets().coldType(), slotBytes, s.tokens(), s.pages(), s.attachments());
        try {
            m.write(spec.manifestFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the KV manifest " + spec.manifestFile(), e);
        }
    }

    /**
     * The saved store of {@code spec}'s conversation when it was saved for the same model file,
     * settings, layout and cold type and shares a token prefix with {@code conversationTokens};
     * empty (logged) otherwise.
     */
    public static Optional<Saved> load(KvStoreSpec spec, int[] conversationTokens) {
        Manifest m;
        try {
            if (!Files.exists(spec.manifestFile())) return Optional.empty();   // nothing saved yet: the usual first run
            Optional<Manifest> read = Manifest.read(spec.manifestFile());
            if (read.isEmpty()) return refuse(spec, "no readable manifest");
            m = read.get();
        } catch (IOException e) {
            return refuse(spec, "manifest unreadable: " + e.getMessage());
        }
        DiskTier.SlotLayout slots = DiskTier.SlotLayout.of(spec.layout(), spec.budgets().coldType());
        if (!m.identity().equals(spec.identity())) return refuse(spec, "saved for another model file or other settings");
        if (!m.layout().equals(spec.layout())) return refuse(spec, "saved with another KV layout");
        if (m.coldType() != spec.budgets().coldType() || m.slotBytes() != slots.slotBytes()) {
            return refuse(spec, "saved with another cold page type");
        }
        int common = 0;
        while (common < m.tokens().length && common < conversationTokens.length && m.tokens()[common] == conversationTokens[common]) common++;
        if (common == 0) return refuse(spec, "the conversation shares no token prefix with the saved KV");
        KvSnapshot snapshot = new KvSnapshot(m.tokens(), m.pages(), m.attachments());
        DiskTier disk;
        try {
            disk = DiskTier.open(spec.pageFile(), slots, spec.budgets().diskBytes(), snapshot.diskSlots());
        } catch (IOException e) {
            return refuse(spec, "page file unusable: " + e.getMessage());
        }
        return Optional.of(new Saved(disk, snapshot, common));
    }

    /** Logs why a saved store is not reused; empty. */
    public static <T> Optional<T> refuse(KvStoreSpec spec, String why) {
        LOG.log(Level.INFO, "not reusing saved KV {0}: {1}", spec.key(), why);
        return Optional.empty();
    }
}
