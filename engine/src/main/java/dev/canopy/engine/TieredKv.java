package dev.canopy.engine;

import dev.canopy.engine.kv.KvOffload;

/**
 * A model whose sessions can keep their KV in the tiered store (GPU, RAM, a page file) instead of
 * dense in memory. Callers ask {@link InferenceModel#tieredKv()} for it; an engine that keeps the KV
 * in memory only has none.
 */
public interface TieredKv {
    /**
     * A session with the model's default run settings whose KV lives in the tiers {@code offload}
     * describes, reopening what an earlier session saved there. Throws
     * {@link IllegalArgumentException} when the budgets cannot hold the model's working set and
     * {@link IllegalStateException} or {@link java.io.UncheckedIOException} when the saved KV is in
     * use or unreadable.
     */
    GenerationSession openSession(KvOffload offload);
}
