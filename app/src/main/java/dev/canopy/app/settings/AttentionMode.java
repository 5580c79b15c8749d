package dev.canopy.app.settings;

/**
 * "Long-context acceleration": how attention reads the context. Dense reads every token (exact,
 * the safe choice); DHSA reads the chunks most relevant to each query within a token budget,
 * which makes long prompts much faster at a small cost in quality (see docs/decisions/0060).
 */
public enum AttentionMode {
    DENSE("Off: dense attention (exact)"),
    DHSA("DHSA: sparse attention for long prompts");

    private final String label;

    AttentionMode(String label) {
        this.label = label;
    }

    /** What the Settings view shows. */
    public String label() {
        return label;
    }
}
