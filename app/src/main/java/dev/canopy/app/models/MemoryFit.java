package dev.canopy.app.models;

/** How a model's estimated memory need compares with what this machine has. */
public enum MemoryFit {
    /** Comfortably within available memory. */
    FITS,
    /** Fits, but uses most of the memory; other programs may slow down. */
    TIGHT,
    /** Needs more than this machine has. */
    TOO_BIG
}
