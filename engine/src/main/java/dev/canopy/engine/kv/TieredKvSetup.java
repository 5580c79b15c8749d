package dev.canopy.engine.kv;

import dev.canopy.engine.model.ModelHparams;
import dev.canopy.kv.KvBudgets;
import dev.canopy.kv.KvLayout;
import dev.canopy.kv.KvStoreSpec;
import dev.canopy.kv.KvType;
import dev.canopy.kv.StoreIdentity;
import dev.canopy.kv.TierDevices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The store spec and working-set size a {@link KvOffload} gives for one model: how many tokens
 * each layer attends to per step, what is left of the RAM budget for the host tier, and the
 * identity saved KV is valid for (the model file, its shape, the KV type and, when attention is
 * not dense, the selection settings, since they shape the computed KV).
 */
record TieredKvSetup(KvStoreSpec spec, int layers, int queryWidth, int contextTokens, int attendTokens,
                     int sinkTokens, int windowTokens, int pageTokens, boolean persistent) {

    /**
     * @param deviceLayers layers whose working set lives in device memory (on a GPU); with a device
     *                     budget, their working sets come out of it as the others' come out of RAM
     */
    static TieredKvSetup of(ModelHparams hp, Path modelFile, int context, int chunk, KvType hot, KvOffload cfg, int deviceLayers) {
        KvLayout layout = KvLayout.uniform(hp.layers(), hp.kvHeads(), hp.headDim(), hp.heads(), cfg.pageTokens(), hot);
        long perToken = layout.kvBytes(1);
        int attend;
        long hostBytes = cfg.hostBytes();
        long deviceBytes = cfg.deviceBytes();
        boolean vramLimits = false;
        if (cfg.attendTokens() > 0) {
            attend = Math.min(cfg.attendTokens(), context);
        } else if (hostBytes == KvBudgets.UNLIMITED || hostBytes >= layout.kvBytes(context) + perToken * context) {
            attend = context;
        } else {
            attend = (int) Math.min(context, hostBytes / 2 / perToken);
            hostBytes -= perToken * (attend + 1L);
        }
        long perTokenOnDevice = perToken / hp.layers() * deviceLayers;
        boolean deviceBudget = deviceLayers > 0 && deviceBytes > 0 && deviceBytes != KvBudgets.UNLIMITED;
        if (deviceBudget && cfg.attendTokens() == 0 && deviceBytes < perTokenOnDevice * 2L * context) {
            // the VRAM budget cannot hold the GPU layers' KV and a working set of every key: half of
            // it goes to their working sets (as half the RAM budget does), the rest to device pages
            int fits = (int) Math.min(context, deviceBytes / 2 / perTokenOnDevice);
            if (fits < attend) {
                attend = fits;
                vramLimits = true;
            }
        }
        if (deviceBudget) deviceBytes = Math.max(0, deviceBytes - perTokenOnDevice * (attend + 1L)); // the GPU layers' working sets
        int minimum = Math.min(context, chunk + cfg.sinkTokens() + 4 * cfg.pageTokens());
        if (attend < minimum) {
            throw new IllegalArgumentException("the KV " + (vramLimits ? "GPU" : "RAM") + " budget of "
                    + KvBudgets.describe(vramLimits ? cfg.deviceBytes() : cfg.hostBytes()) + " leaves " + attend
                    + " tokens of attention per layer; at least " + minimum + " are needed (prefill chunk, sink and a few pages):"
                    + " raise " + (vramLimits ? "--kv-gpu-mb" : "--kv-ram-mb") + " or lower --chunk");
        }
        long slot = 2L * layout.maxPageTokens() * layout.hotRowBytes();
        if (hostBytes < slot * (hp.layers() + 2L)) {
            throw new IllegalArgumentException("the KV RAM budget of " + KvBudgets.describe(cfg.hostBytes()) + " is too small for this model's"
                    + " KV pages (" + (slot * (hp.layers() + 2L) >> 10) + " KiB of page slots at least): raise --kv-ram-mb");
        }
        boolean persistent = cfg.directory() != null;
        Path dir = persistent ? cfg.directory() : scratchFolder();
        // a quantized KV keeps its pages on disk as the graph wrote them: exact resume, no second rounding
        KvBudgets budgets = new KvBudgets(deviceBytes, hostBytes, cfg.diskBytes(), hot.isQuantized() ? hot : cfg.coldType());
        StoreIdentity id = new StoreIdentity(fingerprint(modelFile), StoreIdentity.settingsHash(
                "engine=canopy-graph-1", "hparams=" + hp, "kv=" + hot,
                attend >= context ? "attention=dense" : "attention=" + attend + "/" + cfg.sinkTokens() + "/" + cfg.windowTokens()));
        KvStoreSpec spec = new KvStoreSpec(dir, cfg.key(), id, layout, budgets, TierDevices.detect());
        return new TieredKvSetup(spec, hp.layers(), hp.queryWidth(), context, attend, cfg.sinkTokens(), cfg.windowTokens(),
                cfg.pageTokens(), persistent);
    }

    private static String fingerprint(Path modelFile) {
        try {
            return StoreIdentity.fingerprint(modelFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model file " + modelFile, e);
        }
    }

    private static Path scratchFolder() {
        try {
            return Files.createTempDirectory("canopy-kv");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the KV pages", e);
        }
    }

    /** Removes the temporary folder of a non-persistent store (after the store deleted its files). */
    void deleteScratchFolder() {
        if (persistent) return;
        try {
            Files.deleteIfExists(spec.directory());
        } catch (IOException ignored) {
            // a leftover empty temp folder is harmless
        }
    }
}
