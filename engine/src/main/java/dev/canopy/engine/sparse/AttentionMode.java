package dev.canopy.engine.sparse;

import java.util.Locale;

/**
 * How a layer's attention picks the keys it reads. {@link #DENSE} is exact and the safe default;
 * the others read a fixed budget of keys per query block, chosen inside the graph.
 */
public enum AttentionMode {
    /** Every visible key (what llama.cpp does). */
    DENSE,
    /** Dynamic hierarchical sparse attention: key chunks scored against the query block, top tokens kept. */
    DHSA,
    /** Attention sink plus the most recent keys (StreamingLLM-style): no scoring at all. */
    WINDOW,
    /** Fixed-size key blocks ranked by a per-channel min/max upper bound (Quest-style). */
    TOPK;

    /** The lower-case name used on the command line and in settings files. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code dense | dhsa | window | topk} (case-insensitive). */
    public static AttentionMode parse(String text) {
        for (AttentionMode m : values()) {
            if (m.cliName().equalsIgnoreCase(text.strip())) return m;
        }
        throw new IllegalArgumentException("unknown attention mode '" + text + "' (expected dense, dhsa, window or topk)");
    }

    /** Whether the mode selects a subset of the keys (everything but dense). */
    public boolean isSparse() {
        return this != DENSE;
    }
}
