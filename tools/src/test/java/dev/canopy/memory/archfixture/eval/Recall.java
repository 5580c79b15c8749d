package dev.canopy.memory.archfixture.eval;

/** A deliberate violation for ToolsApartTest: an innocent name in a product module's {@code eval} package. */
public final class Recall {
    private Recall() {}
}
