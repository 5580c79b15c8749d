package dev.canopy.memory.fact;

/** How a fact came to be. */
public enum FactOrigin {
    /** A raw conversation turn used as a fact (no model configured). */
    TURN,
    /** Extracted from a cell by the model. */
    EXTRACTED,
    /** Written or edited by the user. */
    USER,
    /** Came from an export file. */
    IMPORTED
}
