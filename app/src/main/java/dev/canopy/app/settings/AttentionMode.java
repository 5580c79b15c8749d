package dev.canopy.app.settings;

/** How attention reads the context: every token (dense) or DHSA's selected chunks within a budget. */
public enum AttentionMode {
    DENSE, DHSA
}
