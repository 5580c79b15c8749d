package dev.canopy.app.models;

import dev.canopy.engine.ModelInfo;

/**
 * A model's estimated memory need: its weights, the KV cache for the context window (f16 keys and
 * values, sliding-window layers at their window, see {@link dev.canopy.engine.KvFootprint}) and a
 * fixed allowance for compute buffers.
 *
 * @param weightsBytes  the file size (the weights are mapped as they are stored)
 * @param kvBytes       KV cache for {@code contextTokens}
 * @param overheadBytes compute buffers and runtime
 * @param contextTokens the context window the estimate assumes
 */
public record MemoryEstimate(long weightsBytes, long kvBytes, long overheadBytes, int contextTokens) {
    static final long OVERHEAD = 300L << 20;

    public static MemoryEstimate of(ModelInfo info, int contextSetting) {
        int ctx = contextSetting > 0 ? contextSetting
                : Math.min(info.contextLength() > 0 ? info.contextLength() : 4096, 8192);
        long kv = info.kv().bytes(ctx);
        return new MemoryEstimate(info.fileBytes(), kv, OVERHEAD, ctx);
    }

    public long totalBytes() {
        return weightsBytes + kvBytes + overheadBytes;
    }

    /** Compared with system memory: free memory decides TIGHT, total memory decides TOO_BIG. */
    public MemoryFit fitOn(SystemResources machine) {
        long need = totalBytes();
        if (machine.memoryTotal() <= 0) return MemoryFit.FITS;
        if (need > machine.memoryTotal() * 0.9) return MemoryFit.TOO_BIG;
        if (need > machine.memoryFree() * 0.8) return MemoryFit.TIGHT;
        return MemoryFit.FITS;
    }
}
