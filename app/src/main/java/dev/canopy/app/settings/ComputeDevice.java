package dev.canopy.app.settings;

/** Where the model's layers run. */
public enum ComputeDevice {
    /** Every layer on the CPU, even where there is a GPU. */
    CPU("CPU only"),
    /** The GPU layers on the machine's GPU ({@link ComputeDevices}); the CPU where there is none. The default. */
    GPU("GPU when there is one");

    private final String label;

    ComputeDevice(String label) {
        this.label = label;
    }

    /** The choice for people (the Settings view's device list). */
    public String label() {
        return label;
    }
}
