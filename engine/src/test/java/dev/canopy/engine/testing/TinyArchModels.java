package dev.canopy.engine.testing;

import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.gguf.GgufWriter;
import dev.canopy.natives.gguf.TinyModels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;

import static dev.canopy.natives.gguf.RandomWeights.*;

/**
 * Tiny random-weight phi3, gemma2 and gemma3 GGUFs with the keys llama.cpp's load_arch_hparams
 * reads for them (src/models/phi3.cpp, gemma2.cpp, gemma3.cpp), shaped so every feature shows in
 * the logits: a 32-token sliding window (prompts are longer), soft-capping caps small enough to
 * bend the scores, gemma's head size differing from n_embd / n_head, gemma3's separate RoPE base
 * and linear scaling of the global layers, phi3's fused QKV and gate+up matrices and its
 * LongRoPE factors (the original context, 256, is below the test contexts: the long ones apply).
 */
public final class TinyArchModels {
    public static final Set<String> ARCHITECTURES = Set.of("phi3", "gemma2", "gemma3");
    /** The sliding window of the tiny gemma models. */
    public static final int SLIDING_WINDOW = 32;
    private static final int E = 64, HEADS = 4, KV_HEADS = 2, FF = 128;

    private TinyArchModels() {}

    public static Path write(String arch, GgmlType type, Path file) throws IOException {
        return write(arch, type, SLIDING_WINDOW, file);
    }

    /** With the gemma models' sliding window set to {@code window} tokens. */
    public static Path write(String arch, GgmlType type, int window, Path file) throws IOException {
        return write(arch, type, window, 3, file);
    }

    /**
     * As above with gemma3's sliding_window_pattern {@code pattern}: 3 makes layers 0 and 1 slide and
     * layer 2 global; 0 makes every layer slide (llama.cpp's load_swa_pattern).
     */
    public static Path write(String arch, GgmlType type, int window, int pattern, Path file) throws IOException {
        return TinyModels.withVocab(file, (w, nVocab) -> {
            boolean gemma = arch.startsWith("gemma");
            int layers = arch.equals("gemma3") ? 3 : 2;
            int headDim = gemma ? 32 : E / HEADS;          // gemma: q width 128 != n_embd
            String a = arch + ".";
            w.put("general.architecture", arch)
                    // not "phi3": llama.cpp then marks tokens of Phi's own vocabulary, which the llama one lacks
                    .put("general.name", "canopy tiny " + arch.replace("phi3", "Phi 3"))
                    .putU32("general.file_type", type.fileType())
                    .putU32(a + "context_length", 4096)
                    .putU32(a + "embedding_length", E)
                    .putU32(a + "block_count", layers)
                    .putU32(a + "feed_forward_length", FF)
                    .putU32(a + "attention.head_count", HEADS)
                    .putU32(a + "attention.head_count_kv", KV_HEADS)
                    .putU32(a + "rope.dimension_count", headDim)
                    .putF32(a + "attention.layer_norm_rms_epsilon", 1e-6f)
                    .putU32(a + "vocab_size", nVocab);
            switch (arch) {
                case "phi3" -> w.putF32(a + "rope.freq_base", 10000f)
                        .putU32(a + "rope.scaling.original_context_length", 256)
                        .putF32(a + "rope.scaling.attn_factor", 1.19f)
                        .putU32(a + "attention.sliding_window", 2047);   // llama.cpp ignores Phi's window
                case "gemma2" -> w.putF32(a + "rope.freq_base", 10000f)
                        .putU32(a + "attention.key_length", headDim).putU32(a + "attention.value_length", headDim)
                        .putU32(a + "attention.sliding_window", window)
                        .putF32(a + "attn_logit_softcapping", 2.0f)
                        .putF32(a + "final_logit_softcapping", 10.0f);
                case "gemma3" -> w.putF32(a + "rope.freq_base", 1_000_000f)
                        .put(a + "rope.scaling.type", "linear").putF32(a + "rope.scaling.factor", 8f)
                        .putU32(a + "attention.key_length", headDim).putU32(a + "attention.value_length", headDim)
                        .putU32(a + "attention.sliding_window", window)
                        .putU32(a + "attention.sliding_window_pattern", pattern);
                default -> throw new IllegalArgumentException("unsupported tiny architecture " + arch);
            }
            tensors(w, arch, type, layers, headDim, nVocab, new Random(42));
        });
    }

    private static void tensors(GgufWriter w, String arch, GgmlType t, int layers, int hd, int nVocab, Random rnd) {
        int q = HEADS * hd, kv = KV_HEADS * hd;
        boolean gemma = arch.startsWith("gemma");
        w.addTensor("token_embd.weight", t, new long[] {E, nVocab}, gaussian(rnd, (long) E * nVocab, 1.0f));
        w.addTensor("output_norm.weight", GgmlType.F32, new long[] {E}, around1(rnd, E));
        if (!arch.equals("gemma2")) {                       // gemma2 always reads its logits through token_embd
            w.addTensor("output.weight", t, new long[] {E, nVocab}, gaussian(rnd, (long) E * nVocab, scale(E)));
        }
        if (arch.equals("phi3")) {
            w.addTensor("rope_factors_long.weight", GgmlType.F32, new long[] {hd / 2}, ramp(hd / 2, 1f, 4f));
            w.addTensor("rope_factors_short.weight", GgmlType.F32, new long[] {hd / 2}, ramp(hd / 2, 1f, 1.5f));
        }
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            w.addTensor(b + "attn_norm.weight", GgmlType.F32, new long[] {E}, around1(rnd, E));
            if (arch.equals("phi3")) {
                w.addTensor(b + "attn_qkv.weight", t, new long[] {E, q + 2 * kv}, gaussian(rnd, (long) E * (q + 2 * kv), scale(E)));
            } else {
                w.addTensor(b + "attn_q.weight", t, new long[] {E, q}, gaussian(rnd, (long) E * q, scale(E)));
                w.addTensor(b + "attn_k.weight", t, new long[] {E, kv}, gaussian(rnd, (long) E * kv, scale(E)));
                w.addTensor(b + "attn_v.weight", t, new long[] {E, kv}, gaussian(rnd, (long) E * kv, scale(E)));
            }
            if (arch.equals("gemma3")) {
                w.addTensor(b + "attn_q_norm.weight", GgmlType.F32, new long[] {hd}, around1(rnd, hd));
                w.addTensor(b + "attn_k_norm.weight", GgmlType.F32, new long[] {hd}, around1(rnd, hd));
            }
            w.addTensor(b + "attn_output.weight", t, new long[] {q, E}, gaussian(rnd, (long) q * E, scale(q)));
            if (gemma) w.addTensor(b + "post_attention_norm.weight", GgmlType.F32, new long[] {E}, around1(rnd, E));
            w.addTensor(b + "ffn_norm.weight", GgmlType.F32, new long[] {E}, around1(rnd, E));
            if (arch.equals("phi3")) {
                w.addTensor(b + "ffn_up.weight", t, new long[] {E, 2 * FF}, gaussian(rnd, (long) E * 2 * FF, scale(E)));
            } else {
                w.addTensor(b + "ffn_gate.weight", t, new long[] {E, FF}, gaussian(rnd, (long) E * FF, scale(E)));
                w.addTensor(b + "ffn_up.weight", t, new long[] {E, FF}, gaussian(rnd, (long) E * FF, scale(E)));
            }
            w.addTensor(b + "ffn_down.weight", t, new long[] {FF, E}, gaussian(rnd, (long) FF * E, scale(FF)));
            if (gemma) w.addTensor(b + "post_ffw_norm.weight", GgmlType.F32, new long[] {E}, around1(rnd, E));
        }
    }

    private static float[] ramp(int n, float from, float to) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = from + (to - from) * i / Math.max(1, n - 1);
        return out;
    }
}
