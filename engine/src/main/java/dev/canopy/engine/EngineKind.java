package dev.canopy.engine;

/** Which implementation runs a model. */
public enum EngineKind {
    /** Canopy's own ggml graph (fixed-chunk prefill, sparse attention, KV tiers). */
    CANOPY,
    /** libllama's llama_decode: dense, for architectures Canopy's graph does not build yet. */
    LLAMA
}
