package dev.canopy.engine.model;

import dev.canopy.natives.ffi.llama_h;

import java.util.Arrays;
import java.util.Optional;

/**
 * The transformer families Canopy's own graph builds, with what sets them apart: the RoPE layout
 * (llama rotates adjacent pairs, NEOX rotates the two halves) and the optional tensors of the
 * attention block (qwen2's Q/K/V biases, qwen3's per-head Q/K RMS norms).
 */
public enum Architecture {
    LLAMA("llama", RopeMode.NORMAL),
    QWEN2("qwen2", RopeMode.NEOX),
    QWEN3("qwen3", RopeMode.NEOX);

    /** How RoPE pairs the dimensions of a head. */
    public enum RopeMode {
        NORMAL(0), NEOX(llama_h.GGML_ROPE_TYPE_NEOX());

        private final int ggmlMode;

        RopeMode(int ggmlMode) { this.ggmlMode = ggmlMode; }

        /** The {@code mode} argument of ggml_rope_ext. */
        public int ggmlMode() { return ggmlMode; }
    }

    private final String ggufName;
    private final RopeMode rope;

    Architecture(String ggufName, RopeMode rope) {
        this.ggufName = ggufName;
        this.rope = rope;
    }

    /** The {@code general.architecture} value. */
    public String ggufName() { return ggufName; }

    public RopeMode rope() { return rope; }

    public static Optional<Architecture> of(String ggufName) {
        return Arrays.stream(values()).filter(a -> a.ggufName.equals(ggufName)).findFirst();
    }
}
