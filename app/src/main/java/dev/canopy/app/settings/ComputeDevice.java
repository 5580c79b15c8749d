package dev.canopy.app.settings;

/** Where the model's layers run. */
public enum ComputeDevice {
    CPU, GPU
}
