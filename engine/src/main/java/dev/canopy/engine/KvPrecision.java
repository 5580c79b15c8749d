package dev.canopy.engine;

import dev.canopy.kv.KvType;

import java.util.Optional;

/**
 * "KV precision": the type the KV cache keeps keys and values in. {@link #F16} is llama.cpp's
 * default and what the engine computes attention against exactly; {@link #Q8_0} and {@link #Q4_0}
 * quantize each row in blocks of 32 values with one F16 scale (about 0.53x and 0.28x of F16's
 * bytes), read by flash attention. A block must not straddle two heads, so the quantized types
 * need a head size that is a multiple of 32; other models fall back to F16 with a notice.
 */
public enum KvPrecision {
    F16("f16", "16-bit (exact)", KvType.F16),
    Q8_0("q8_0", "8-bit (about half the memory)", KvType.Q8_0),
    Q4_0("q4_0", "4-bit (about a quarter of the memory)", KvType.Q4_0);

    private final String cliName;
    private final String label;
    private final KvType rows;

    KvPrecision(String cliName, String label, KvType rows) {
        this.cliName = cliName;
        this.label = label;
        this.rows = rows;
    }

    /** The name on the command line and in settings files: f16, q8_0, q4_0. */
    public String cliName() { return cliName; }

    /** The human label of the Settings choice. */
    public String label() { return label; }

    /** The row type of the KV tensors and the tiers' pages. */
    public KvType rowType() { return rows; }

    /** ggml's type id of the KV tensors. */
    public int ggmlType() { return rows.ggmlId(); }

    /** Bytes of K and V of one token over {@code layers} layers of {@code kvWidth} values each. */
    public long bytesPerToken(int layers, int kvWidth) {
        return 2L * layers * rows.rowBytes(kvWidth);
    }

    /**
     * Why a model with heads of {@code headDim} values cannot keep its KV in this precision (a
     * quantized block of 32 values would straddle two heads), or empty when it can.
     */
    public Optional<String> unsupportedReason(int headDim) {
        int block = rows.blockElements();
        return headDim % block == 0 ? Optional.empty()
                : Optional.of("its head size " + headDim + " is not a multiple of " + block + " (the " + cliName + " block)");
    }

    /** This precision when a model of head size {@code headDim} can use it, else F16. */
    public KvPrecision forHeadDim(int headDim) {
        return unsupportedReason(headDim).isPresent() ? F16 : this;
    }

    /** The notice a model of head size {@code headDim} gets when it falls back to F16, or empty. */
    public Optional<String> fallbackNotice(int headDim) {
        return unsupportedReason(headDim).map(why -> "KV precision " + cliName + " is off for this model because " + why
                + ": its KV stays 16-bit.");
    }

    /** The precision named {@code name} (f16, q8_0, q4_0; case-insensitive). */
    public static KvPrecision parse(String name) {
        for (KvPrecision p : values()) if (p.cliName.equalsIgnoreCase(name) || p.name().equalsIgnoreCase(name)) return p;
        throw new IllegalArgumentException("unknown KV type '" + name + "': use f16, q8_0 or q4_0");
    }

    @Override
    public String toString() { return cliName; }
}
