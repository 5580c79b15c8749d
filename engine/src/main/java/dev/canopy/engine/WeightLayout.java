package dev.canopy.engine;

/** How Canopy's engine keeps the CPU layers' matrices (decision 0011). */
public enum WeightLayout {
    /** Copied into the CPU's repacked layouts where ggml has one, as llama.cpp loads them (the default). */
    REPACKED,
    /** Left in the memory map as the file stores them (for comparisons). */
    MAPPED
}
