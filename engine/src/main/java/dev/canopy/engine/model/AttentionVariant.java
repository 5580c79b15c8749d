package dev.canopy.engine.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * What the attention of gemma2, gemma3 and phi3 adds to the plain llama one (llama.cpp's
 * llama_hparams: n_swa, is_swa, rope_freq_base_train_swa, f_attention_scale, f_*_softcapping).
 *
 * @param slidingWindow    n_swa: keys a sliding-window layer sees, its own included; 0 when none slides
 * @param swaLayers        per layer, whether it is a sliding-window layer (all false when none)
 * @param ropeBaseSwa      RoPE frequency base of the sliding-window layers
 * @param ropeFreqScaleSwa RoPE frequency scale of the sliding-window layers
 * @param queryScale       factor Q is multiplied by after RoPE (gemma, phi3; the attention then
 *                         scales by 1), or 0 when the attention scales by {@link ModelHparams#kqScale()}
 * @param attnSoftcap      attention logit soft-capping c, scores become c*tanh(s/c); 0 for none (gemma2)
 * @param finalSoftcap     final logit soft-capping, 0 for none (gemma2, some gemma3)
 * @param ropeAttnFactor   RoPE attn_factor ({@code rope.scaling.attn_factor}, phi3 LongRoPE)
 * @param ropeOrigContext  n_ctx_orig_yarn: a context above it takes the long RoPE factors (phi3)
 */
public record AttentionVariant(int slidingWindow, boolean[] swaLayers, float ropeBaseSwa, float ropeFreqScaleSwa,
                               float queryScale, float attnSoftcap, float finalSoftcap, float ropeAttnFactor,
                               int ropeOrigContext) {
    public AttentionVariant {
        swaLayers = swaLayers.clone();
    }

    /** Whether layer {@code il} attends to the last {@link #slidingWindow()} keys only. */
    public boolean isSwa(int il) {
        return slidingWindow > 0 && swaLayers[il];
    }

    public boolean anySwa() {
        for (int il = 0; il < swaLayers.length; il++) if (isSwa(il)) return true;
        return false;
    }

    @Override
    public boolean[] swaLayers() {
        return swaLayers.clone();
    }

    /**
     * Why sparse attention (dhsa, window, topk) and the tiered KV store cannot run this model, or
     * empty when they can: they select keys by cell and score them without soft-capping.
     */
    public Optional<String> denseOnlyReason() {
        if (anySwa()) return Optional.of("its sliding-window attention layers (" + slidingWindow + " tokens)");
        if (attnSoftcap != 0f) return Optional.of("its attention logit soft-capping");
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttentionVariant v && slidingWindow == v.slidingWindow && Arrays.equals(swaLayers, v.swaLayers)
                && ropeBaseSwa == v.ropeBaseSwa && ropeFreqScaleSwa == v.ropeFreqScaleSwa && queryScale == v.queryScale
                && attnSoftcap == v.attnSoftcap && finalSoftcap == v.finalSoftcap && ropeAttnFactor == v.ropeAttnFactor
                && ropeOrigContext == v.ropeOrigContext;
    }

    @Override
    public int hashCode() {
        return 31 * slidingWindow + Arrays.hashCode(swaLayers);
    }

    @Override
    public String toString() {
        return "AttentionVariant[swa=" + slidingWindow + " " + Arrays.toString(swaLayers) + ", baseSwa=" + ropeBaseSwa
                + ", qScale=" + queryScale + ", attnCap=" + attnSoftcap + ", finalCap=" + finalSoftcap + "]";
    }
}
