package dev.canopy.engine.model;

import dev.canopy.natives.gguf.GgufFile;

import java.util.List;

/**
 * Reads the {@link AttentionVariant} of a model the way llama.cpp's load_arch_hparams does for
 * gemma2, gemma3 and phi3 (src/models/gemma2.cpp, gemma3.cpp, phi3.cpp); other architectures get
 * the plain attention.
 */
final class VariantReader {
    private VariantReader() {}

    /**
     * @param headDimFromWidth n_embd / n_head (gemma's 27B models scale queries by it)
     * @param headDim          n_embd_head_k
     */
    static AttentionVariant read(GgufFile gguf, Architecture arch, int layers, int trainContext, float ropeBase,
                                 float ropeFreqScale, int headDimFromWidth, int headDim) {
        String p = arch.ggufName() + ".";
        float ropeAttnFactor = gguf.getDouble(p + "rope.scaling.attn_factor").orElse(1.0).floatValue();
        int origContext = HparamsReader.optional(gguf, p + "rope.scaling.original_context_length").orElse(trainContext);
        return switch (arch) {
            case LLAMA, QWEN2, QWEN3 -> new AttentionVariant(0, new boolean[layers], ropeBase, ropeFreqScale,
                    0f, 0f, 0f, ropeAttnFactor, origContext);
            // llama.cpp turns Phi's sliding window off (ggml-org/llama.cpp#13676): every layer attends to all keys
            case PHI3 -> new AttentionVariant(0, new boolean[layers], ropeBase, ropeFreqScale,
                    (float) (1.0 / Math.sqrt(headDim)), 0f, 0f, ropeAttnFactor, origContext);
            case GEMMA2 -> new AttentionVariant(
                    HparamsReader.optional(gguf, p + "attention.sliding_window").orElse(4096),
                    swaPattern(gguf, p, layers, 2),
                    gguf.getDouble(p + "rope.freq_base_swa").map(Double::floatValue).orElse(ropeBase), ropeFreqScale,
                    gemmaQueryScale(layers == 46, headDimFromWidth, headDim),
                    gguf.getDouble(p + "attn_logit_softcapping").orElse(50.0).floatValue(),
                    gguf.getDouble(p + "final_logit_softcapping").orElse(30.0).floatValue(),
                    ropeAttnFactor, origContext);
            case GEMMA3 -> {
                int window = HparamsReader.optional(gguf, p + "attention.sliding_window").orElse(0);
                yield new AttentionVariant(Math.max(window, 0),
                        window > 0 ? swaPattern(gguf, p, layers, 6) : new boolean[layers],
                        gguf.getDouble(p + "rope.freq_base_swa").orElse(10000.0).floatValue(), 1f,
                        gemmaQueryScale(layers == 62, headDimFromWidth, headDim),
                        0f,
                        gguf.getDouble(p + "final_logit_softcapping").orElse(0.0).floatValue(),
                        ropeAttnFactor, origContext);
            }
        };
    }

    /** gemma_pytorch's query_pre_attn_scalar: n_embd / n_head for the 27B models, else the head size. */
    private static float gemmaQueryScale(boolean is27b, int headDimFromWidth, int headDim) {
        return (float) (1.0 / Math.sqrt(is27b ? headDimFromWidth : headDim));
    }

    /**
     * llama.cpp's load_swa_pattern: a per-layer array, or every n-th layer (the last of each group of
     * n) attends to all keys and the others slide; n = 0 makes every layer slide.
     */
    private static boolean[] swaPattern(GgufFile gguf, String p, int layers, int defaultPeriod) {
        boolean[] swa = new boolean[layers];
        Object v = gguf.get(p + "attention.sliding_window_pattern").orElse(null);
        if (v instanceof List<?> list) {
            for (int il = 0; il < layers && il < list.size(); il++) {
                Object e = list.get(il);
                swa[il] = e instanceof Boolean b ? b : ((Number) e).longValue() != 0;
            }
            return swa;
        }
        int n = v instanceof Number num ? num.intValue() : defaultPeriod;
        for (int il = 0; il < layers; il++) swa[il] = n == 0 || il % n < n - 1;
        return swa;
    }
}
