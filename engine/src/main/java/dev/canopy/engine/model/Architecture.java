package dev.canopy.engine.model;

import dev.canopy.natives.ffi.llama_h;

import java.util.Arrays;
import java.util.Optional;

/**
 * The transformer families Canopy's own graph builds, with what sets them apart: the RoPE layout
 * (llama rotates adjacent pairs, NEOX rotates the two halves), the layer layout ({@link Layout}),
 * and the optional tensors of the attention block (qwen2's Q/K/V biases, qwen3's and gemma3's
 * per-head Q/K RMS norms, phi3's fused QKV and gate+up matrices).
 */
public enum Architecture {
    LLAMA("llama", RopeMode.NORMAL, Layout.LLAMA),
    QWEN2("qwen2", RopeMode.NEOX, Layout.LLAMA),
    QWEN3("qwen3", RopeMode.NEOX, Layout.LLAMA),
    PHI3("phi3", RopeMode.NEOX, Layout.LLAMA),
    GEMMA2("gemma2", RopeMode.NEOX, Layout.GEMMA),
    GEMMA3("gemma3", RopeMode.NEOX, Layout.GEMMA);

    /** How RoPE pairs the dimensions of a head. */
    public enum RopeMode {
        NORMAL(0), NEOX(llama_h.GGML_ROPE_TYPE_NEOX());

        private final int ggmlMode;

        RopeMode(int ggmlMode) { this.ggmlMode = ggmlMode; }

        /** The {@code mode} argument of ggml_rope_ext. */
        public int ggmlMode() { return ggmlMode; }
    }

    /**
     * The shape of a decoder layer: LLAMA is pre-norm attention and a SwiGLU FFN (llama.cpp's
     * llama.cpp, qwen2.cpp, qwen3.cpp, phi3.cpp); GEMMA scales the embeddings by sqrt(n_embd), adds
     * post-attention and post-FFN norms and a GELU-gated FFN (gemma2.cpp, gemma3.cpp).
     */
    public enum Layout { LLAMA, GEMMA }

    private final String ggufName;
    private final RopeMode rope;
    private final Layout layout;

    Architecture(String ggufName, RopeMode rope, Layout layout) {
        this.ggufName = ggufName;
        this.rope = rope;
        this.layout = layout;
    }

    /** The {@code general.architecture} value. */
    public String ggufName() { return ggufName; }

    public RopeMode rope() { return rope; }

    public Layout layout() { return layout; }

    public static Optional<Architecture> of(String ggufName) {
        return Arrays.stream(values()).filter(a -> a.ggufName.equals(ggufName)).findFirst();
    }
}
