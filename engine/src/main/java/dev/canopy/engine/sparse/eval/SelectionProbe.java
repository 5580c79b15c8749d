package dev.canopy.engine.sparse.eval;

import dev.canopy.engine.model.HparamsReader;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.engine.weights.ModelWeights;
import dev.canopy.natives.gguf.GgufFile;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.LlamaVocab;
import dev.canopy.natives.llama.ModelParams;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Diagnostics for one passkey prompt under a sparse mode: the boundary score distribution and
 * chunk sizes on the real key stream, and for the question block and every decoded token, how
 * many of the asked fact's tokens each layer kept.
 *
 * <pre>
 *   ... dev.canopy.engine.sparse.eval.SelectionProbe --model M [--length 4096] [--facts 1] [--seed 1]
 *       [--mode dhsa] [--budget 1024] [--decode-budget 512] [--threshold 0.25] [--threads 1]
 * </pre>
 */
public final class SelectionProbe {
    private SelectionProbe() {}

    public static void main(String[] args) {
        java.util.Map<String, String> o = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) o.put(args[i].substring(2), args[i + 1]);
        Path model = Path.of(o.getOrDefault("model", "../shared/models/passkey-llama-6l-384.gguf"));
        int length = Integer.parseInt(o.getOrDefault("length", "4096"));
        SparseAttentionSettings s = SparseAttentionSettings.of(AttentionMode.parse(o.getOrDefault("mode", "dhsa")))
                .withBudget(Integer.parseInt(o.getOrDefault("budget", "1024")))
                .withDecodeBudget(Integer.parseInt(o.getOrDefault("decode-budget", "512")));
        if (o.containsKey("threshold")) s = s.withBoundaries(s.boundaries().withThreshold(Float.parseFloat(o.get("threshold"))));
        try (GgufFile gguf = GgufFile.open(model); LlamaModel vm = LlamaModel.load(model, ModelParams.vocab())) {
            ModelHparams hp = HparamsReader.read(gguf);
            LlamaVocab vocab = vm.vocab();
            ToIntFunction<String> count = t -> vocab.tokenize(t, false, false).length;
            PasskeyPrompt p = new PasskeyPrompts(count, PasskeyPrompts.singleTokenLabels(count))
                    .suite(new int[] {length}, new int[] {Integer.parseInt(o.getOrDefault("facts", "1"))}, 1,
                            Long.parseLong(o.getOrDefault("seed", "1"))).get(0);
            int[] tokens = vocab.tokenize(p.text(), true, false);
            int[] needle = find(tokens, vocab.tokenize(p.asked().sentence(), false, false));
            System.out.printf(Locale.ROOT, "%s: %d tokens, asked fact '%s' at tokens %d..%d%n", p.id(), tokens.length,
                    p.asked().sentence(), needle[0], needle[1]);
            try (ModelWeights w = ModelWeights.mapCpu(gguf, hp);
                 SparseSequence seq = new SparseSequence(hp, w, s, tokens.length + 16, 256,
                         Integer.parseInt(o.getOrDefault("threads", "1")))) {
                float[] logits = seq.prefill(tokens);
                describeBoundaries(seq, tokens.length, needle);
                report("question block", seq.lastSelections(), needle);
                StringBuilder answer = new StringBuilder();
                for (int i = 0; i < 7; i++) {
                    int next = argmax(logits);
                    answer.append(vocab.detokenize(new int[] {next}, true, false));
                    logits = seq.decode(next);
                    report("decode '" + answer + "'", seq.lastSelections(), needle);
                }
                System.out.println("answer '" + answer + "', expected '" + p.expected() + "'");
            }
        }
    }

    private static void describeBoundaries(SparseSequence seq, int length, int[] needle) {
        double[] d = new double[length];
        for (int i = 0; i < length; i++) d[i] = seq.boundaryScore(i);
        double[] sorted = d.clone();
        Arrays.sort(sorted);
        int[] starts = seq.chunkStarts();
        System.out.printf(Locale.ROOT, "boundary score percentiles 50/90/99/max: %.3f %.3f %.3f %.3f; %d chunks, mean length %.1f%n",
                sorted[length / 2], sorted[length * 9 / 10], sorted[length * 99 / 100], sorted[length - 1], starts.length,
                (double) length / starts.length);
        StringBuilder near = new StringBuilder("chunk starts near the fact:");
        for (int st : starts) if (st > needle[0] - 40 && st < needle[1] + 40) near.append(' ').append(st);
        System.out.println(near);
    }

    private static void report(String what, int[][] sel, int[] needle) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-22s fact tokens kept per layer:", what));
        for (int[] layer : sel) {
            if (layer == null) { sb.append(" dense"); continue; }
            long kept = Arrays.stream(layer).filter(c -> c >= needle[0] && c <= needle[1]).count();
            sb.append(' ').append(kept).append('/').append(needle[1] - needle[0] + 1);
        }
        System.out.println(sb);
    }

    private static int[] find(int[] hay, int[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) return new int[] {i, i + needle.length - 1};
        }
        throw new IllegalStateException("fact tokens not found in the prompt");
    }

    private static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
