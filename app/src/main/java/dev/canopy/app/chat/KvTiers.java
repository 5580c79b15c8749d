package dev.canopy.app.chat;

import dev.canopy.app.settings.AppSettings;
import dev.canopy.engine.kv.KvOffload;
import dev.canopy.kv.KvKey;
import dev.canopy.memory.conversation.ConversationId;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The tiered KV store a chat asked for in Settings: each conversation's KV lives in GPU memory, RAM
 * and a page file in {@code folder}, and is saved there when the chat moves on, so the conversation
 * continues after a restart without reading its prompt again.
 *
 * @param folder where each KV's {@code <key>.kvpages} and {@code .kvmanifest} are kept
 * @param gpuMb  GPU tier budget in MiB (ignored without a GPU)
 * @param ramMb  RAM budget in MiB (page slots and the attention working set)
 * @param diskMb largest page file in MiB
 */
public record KvTiers(Path folder, long gpuMb, long ramMb, long diskMb) {
    public KvTiers {
        if (folder == null) throw new IllegalArgumentException("the KV folder is required");
        if (gpuMb < 0 || ramMb < 1 || diskMb < 1) throw new IllegalArgumentException("KV budgets must be positive");
    }

    /** The tiers {@code settings} ask for, with {@code kvFolder} (see AppPaths#kvDir), or empty when they are off. */
    public static Optional<KvTiers> of(AppSettings settings, Path kvFolder) {
        if (!settings.kvTiers()) return Optional.empty();
        // Settings checks these; a hand-edited settings.json cannot make a chat fail here.
        return Optional.of(new KvTiers(kvFolder, Math.max(0, settings.kvGpuMb()), Math.max(64, settings.kvCpuMb()),
                Math.max(64, settings.kvDiskMb())));
    }

    /** The KV a conversation keeps in the tiers. */
    public static KvKey key(ConversationId conversation) {
        return KvKey.conversation(conversation.value());
    }

    /** The engine's configuration for {@code key}'s KV. */
    public KvOffload offload(KvKey key) {
        KvOffload base = KvOffload.ofMegabytes(folder, key, gpuMb, ramMb);
        return new KvOffload(base.directory(), base.key(), base.deviceBytes(), base.hostBytes(),
                Math.multiplyExact(diskMb, 1L << 20), base.attendTokens(), base.sinkTokens(), base.windowTokens(),
                base.pageTokens(), base.coldType());
    }

    /** Deletes the KV that {@code conversationId} saved in {@code folder}, if any. */
    public static void deleteSaved(Path folder, ConversationId conversationId) throws java.io.IOException {
        KvKey key = key(conversationId);
        java.nio.file.Files.deleteIfExists(key.pageFile(folder));
        java.nio.file.Files.deleteIfExists(key.manifestFile(folder));
    }

    /** What the chat says when a conversation's KV cannot be kept in tiers (it then stays in memory). */
    static String problem(Exception e) {
        String why = e.getMessage() == null ? "" : e.getMessage();
        if (why.contains("RAM budget")) {
            return "The KV RAM budget in Settings is too small for this model, so this chat keeps its KV in memory and"
                    + " it is not kept on disk. Raise \"KV in RAM\" in Settings.";
        }
        if (why.contains("open in another store")) {
            return "This conversation's saved KV is in use by another Canopy window, so this answer keeps its KV in memory.";
        }
        return "The conversation's KV could not be kept on disk (" + why + "), so this answer keeps it in memory.";
    }
}
