package dev.canopy.memory.archfixture;

/** A deliberate violation for ToolsApartTest: a benchmark named as one, in a product package. */
public final class StrayBench {
    private StrayBench() {}
}
