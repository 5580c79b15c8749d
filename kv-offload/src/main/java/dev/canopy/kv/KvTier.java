package dev.canopy.kv;

/** Where a page of KV lives, fastest first. */
public enum KvTier {
    /** Accelerator memory (a ggml device buffer). */
    DEVICE,
    /** Host memory (pinned where the backend offers it). */
    HOST,
    /** A memory-mapped file per conversation. */
    DISK
}
