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

/** Temporary: how different chunk scorings rank the asked fact, against what dense attention does. */
public final class ScoringStudy {
    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        int length = Integer.parseInt(args[1]);
        int seeds = Integer.parseInt(args[2]);
        try (GgufFile gguf = GgufFile.open(model); LlamaModel vm = LlamaModel.load(model, ModelParams.vocab())) {
            ModelHparams hp = HparamsReader.read(gguf);
            LlamaVocab vocab = vm.vocab();
            ToIntFunction<String> count = t -> vocab.tokenize(t, false, false).length;
            PasskeyPrompts gen = new PasskeyPrompts(count, PasskeyPrompts.singleTokenLabels(count));
            try (ModelWeights w = ModelWeights.mapCpu(gguf, hp);
                 SparseSequence seq = new SparseSequence(hp, w, SparseAttentionSettings.of(AttentionMode.DENSE), length + 16, 256, 1)) {
                for (int seed = 0; seed < seeds; seed++) {
                    PasskeyPrompt p = gen.generate(length, 1, 1000 + seed, seed);
                    int[] tokens = vocab.tokenize(p.text(), true, false);
                    int[] needle = find(tokens, vocab.tokenize(p.asked().sentence(), false, false));
                    seq.prefill(tokens);
                    int L = tokens.length, rows = L - (L - 1) / 256 * 256;
                    int[] starts = seq.chunkStarts();
                    System.out.printf(Locale.ROOT, "%s fact at %d..%d, %d chunks%n", p.id(), needle[0], needle[1], starts.length);
                    for (int il = 0; il < hp.layers(); il++) study(hp, seq.lastQueries(il), seq.cachedKeys(il, L), rows, L, starts, needle, il);
                }
            }
        }
    }

    static void study(ModelHparams hp, float[] q, float[] k, int rows, int L, int[] starts, int[] needle, int il) {
        int hd = hp.headDim(), H = hp.heads(), G = hp.kvHeads(), g = H / G;
        // ground truth: attention mass of the last row on the fact, per head (max over heads)
        double best = 0;
        for (int h = 0; h < H; h++) {
            double[] logit = new double[L];
            double mx = -1e30;
            for (int c = 0; c < L; c++) { logit[c] = dot(q, ((rows - 1) * H + h) * hd, k, (c * G + h / g) * hd, hd) * hp.kqScale(); mx = Math.max(mx, logit[c]); }
            double sum = 0, on = 0;
            for (int c = 0; c < L; c++) { double e = Math.exp(logit[c] - mx); sum += e; if (c >= needle[0] && c <= needle[1]) on += e; }
            best = Math.max(best, on / sum);
        }
        int first = L - rows; // forced: [0,128) and [first-128, L)
        int chunks = starts.length;
        int[] chunkOf = new int[L];
        for (int c = 0; c < chunks; c++) for (int cell = starts[c]; cell < (c + 1 < chunks ? starts[c + 1] : L); cell++) chunkOf[cell] = c;
        int[] len = new int[chunks];
        for (int c = 0; c < L; c++) len[chunkOf[c]]++;
        int[] probes = {1, 8, 16, 32};
        String[] names = {"spec", "mass1", "mass8", "mass16", "mass32", "mass16/len", "mass16max"};
        double[][] sc = new double[names.length][chunks];
        for (int pi = 0; pi < probes.length; pi++) {
            for (int r = Math.max(0, rows - probes[pi]); r < rows; r++) {
                int cellR = first + r;
                for (int h = 0; h < H; h++) {
                    double[] lg = new double[cellR + 1];
                    double mx = -1e30;
                    for (int c = 0; c <= cellR; c++) { lg[c] = dot(q, (r * H + h) * hd, k, (c * G + h / g) * hd, hd) * hp.kqScale(); mx = Math.max(mx, lg[c]); }
                    double z = 0;
                    for (int c = 0; c <= cellR; c++) z += Math.exp(lg[c] - mx);
                    double[] m = new double[chunks];
                    for (int c = 0; c <= cellR; c++) m[chunkOf[c]] += Math.exp(lg[c] - mx) / z;
                    for (int ch = 0; ch < chunks; ch++) {
                        sc[1 + pi][ch] += m[ch] / Math.sqrt(len[ch]);
                        if (pi == 2) { sc[5][ch] += m[ch] / len[ch]; sc[6][ch] = Math.max(sc[6][ch], m[ch]); }
                    }
                }
            }
        }
        double[] qrep = new double[hd];
        for (int t = 0; t < rows; t++) for (int h = 0; h < H; h++) for (int i = 0; i < hd; i++) qrep[i] += q[(t * H + h) * hd + i];
        for (int c = 0; c < L; c++) {
            double d = 0;
            for (int kh = 0; kh < G; kh++) for (int i = 0; i < hd; i++) d += qrep[i] * k[(c * G + kh) * hd + i];
            sc[0][chunkOf[c]] += d;
        }
        for (int ch = 0; ch < chunks; ch++) sc[0][ch] /= Math.sqrt(len[ch]);
        int needleChunk = chunkOf[needle[0] + 4];
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  L%d mass %.2f | tokens ahead:", il, best));
        for (int v = 0; v < names.length; v++) {
            int ahead = 0;
            for (int ch = 0; ch < chunks; ch++) {
                int from = starts[ch], to = ch + 1 < chunks ? starts[ch + 1] : L;
                if (to <= 128 || from >= first - 128 || ch == needleChunk) continue;
                if (sc[v][ch] > sc[v][needleChunk]) ahead += to - from;
            }
            sb.append(String.format(Locale.ROOT, " %s %d", names[v], ahead));
        }
        System.out.println(sb);
    }

    static double[] zscore(double[] x) {
        double m = Arrays.stream(x).average().orElse(0), v = 0;
        for (double a : x) v += (a - m) * (a - m);
        double sd = Math.sqrt(v / x.length) + 1e-9;
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) z[i] = (x[i] - m) / sd;
        return z;
    }

    static double dot(float[] a, int ai, float[] b, int bi, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += a[ai + i] * b[bi + i];
        return s;
    }

    private static int[] find(int[] hay, int[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) return new int[] {i, i + needle.length - 1};
        }
        throw new IllegalStateException("fact tokens not found");
    }
}
