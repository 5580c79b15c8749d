package dev.canopy.natives.gguf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

import static dev.canopy.natives.gguf.RandomWeights.*;
import java.util.Set;

/**
 * Writes small random-weight GGUF models of real architectures (llama, qwen2, qwen3) with a real
 * tokenizer: the llama SentencePiece vocabulary from llama.cpp's {@code models/ggml-vocab-llama-spm.gguf},
 * shipped as a resource. Tests and the installed app's {@code --self-test} use them, so nothing
 * needs a downloaded model.
 */
public final class TinyModels {
    public static final Set<String> ARCHITECTURES = Set.of("llama", "qwen2", "qwen3");
    private static final String VOCAB_RESOURCE = "/dev/canopy/natives/gguf/ggml-vocab-llama-spm.gguf";

    private TinyModels() {}

    /** Writes the model described by {@code spec} to {@code file} and returns it. */
    public static Path write(TinyModelSpec spec, Path file) throws IOException {
        return write(spec, file, (w, nVocab) -> {});
    }

    /** As {@link #write(TinyModelSpec, Path)}, with the keys {@code extra} adds (for example {@code llama.pooling_type}). */
    public static Path write(TinyModelSpec spec, Path file, Body extra) throws IOException {
        if (!ARCHITECTURES.contains(spec.arch())) throw new IllegalArgumentException("unsupported tiny architecture " + spec.arch());
        return withVocab(file, (w, nVocab) -> {
            String a = spec.arch();
            w.put("general.architecture", a)
                    .put("general.name", "canopy-tiny-" + a)
                    .putU32("general.file_type", spec.type().fileType())
                    .putU32(a + ".context_length", spec.context())
                    .putU32(a + ".embedding_length", spec.embedding())
                    .putU32(a + ".block_count", spec.layers())
                    .putU32(a + ".feed_forward_length", spec.feedForward())
                    .putU32(a + ".attention.head_count", spec.heads())
                    .putU32(a + ".attention.head_count_kv", spec.kvHeads())
                    .putU32(a + ".rope.dimension_count", spec.headDim())
                    .putF32(a + ".rope.freq_base", 10000f)
                    .putF32(a + ".attention.layer_norm_rms_epsilon", 1e-5f)
                    .putU32(a + ".vocab_size", nVocab);
            extra.write(w, nVocab);
            if (spec.ropeScale() != 0f) w.putF32(a + ".rope.scaling.factor", spec.ropeScale());
            if (a.equals("qwen3")) {
                w.putU32(a + ".attention.key_length", spec.headDim()).putU32(a + ".attention.value_length", spec.headDim());
            }
            Random rnd = new Random(spec.seed());
            int e = spec.embedding(), hd = spec.headDim(), q = spec.heads() * hd, kv = spec.kvHeads() * hd, ff = spec.feedForward();
            GgmlType t = spec.type();
            w.addTensor("token_embd.weight", t, new long[] {e, nVocab}, gaussian(rnd, (long) e * nVocab, 1.0f));
            w.addTensor("output_norm.weight", GgmlType.F32, new long[] {e}, around1(rnd, e));
            w.addTensor("output.weight", t, new long[] {e, nVocab}, gaussian(rnd, (long) e * nVocab, scale(e)));
            for (int l = 0; l < spec.layers(); l++) {
                String b = "blk." + l + ".";
                w.addTensor(b + "attn_norm.weight", GgmlType.F32, new long[] {e}, around1(rnd, e));
                w.addTensor(b + "attn_q.weight", t, new long[] {e, q}, gaussian(rnd, (long) e * q, scale(e)));
                w.addTensor(b + "attn_k.weight", t, new long[] {e, kv}, gaussian(rnd, (long) e * kv, scale(e)));
                w.addTensor(b + "attn_v.weight", t, new long[] {e, kv}, gaussian(rnd, (long) e * kv, scale(e)));
                if (a.equals("qwen2")) {
                    w.addTensor(b + "attn_q.bias", GgmlType.F32, new long[] {q}, gaussian(rnd, q, 0.1f));
                    w.addTensor(b + "attn_k.bias", GgmlType.F32, new long[] {kv}, gaussian(rnd, kv, 0.1f));
                    w.addTensor(b + "attn_v.bias", GgmlType.F32, new long[] {kv}, gaussian(rnd, kv, 0.1f));
                }
                if (a.equals("qwen3")) {
                    w.addTensor(b + "attn_q_norm.weight", GgmlType.F32, new long[] {hd}, around1(rnd, hd));
                    w.addTensor(b + "attn_k_norm.weight", GgmlType.F32, new long[] {hd}, around1(rnd, hd));
                }
                w.addTensor(b + "attn_output.weight", t, new long[] {q, e}, gaussian(rnd, (long) q * e, scale(q)));
                w.addTensor(b + "ffn_norm.weight", GgmlType.F32, new long[] {e}, around1(rnd, e));
                w.addTensor(b + "ffn_gate.weight", t, new long[] {e, ff}, gaussian(rnd, (long) e * ff, scale(e)));
                w.addTensor(b + "ffn_up.weight", t, new long[] {e, ff}, gaussian(rnd, (long) e * ff, scale(e)));
                w.addTensor(b + "ffn_down.weight", t, new long[] {ff, e}, gaussian(rnd, (long) ff * e, scale(ff)));
            }
        });
    }

    /** The model-specific part of a tiny GGUF: its keys and tensors, given the vocabulary size. */
    @FunctionalInterface
    public interface Body {
        void write(GgufWriter w, int nVocab) throws IOException;
    }

    /**
     * Writes {@code file}: the llama SentencePiece vocabulary's tokenizer keys, then what
     * {@code body} adds. Shared by every tiny architecture (the engine's tests add their own).
     */
    public static Path withVocab(Path file, Body body) throws IOException {
        Path vocabFile = Files.createTempFile("canopy-vocab", ".gguf");
        try (InputStream in = TinyModels.class.getResourceAsStream(VOCAB_RESOURCE)) {
            if (in == null) throw new IOException("missing resource " + VOCAB_RESOURCE);
            Files.copy(in, vocabFile, StandardCopyOption.REPLACE_EXISTING);
        }
        try (GgufFile vocab = GgufFile.open(vocabFile); GgufWriter w = new GgufWriter()) {
            int nVocab = ((java.util.List<?>) vocab.get("tokenizer.ggml.tokens").orElseThrow()).size();
            w.copyKeys(vocab, "tokenizer.");
            body.write(w, nVocab);
            w.write(file);
        } finally {
            Files.deleteIfExists(vocabFile);
        }
        return file;
    }
}
