package dev.canopy.tools.engine.sparse.eval;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.KvPrecision;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.canopy.RunSettings;
import dev.canopy.engine.canopy.SequenceEngine;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.LlamaVocab;
import dev.canopy.natives.llama.ModelParams;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Passkey quality of every attention mode on the passkey model: exact-match accuracy and
 * agreement with dense attention (same greedy continuation), per prompt length and fact count.
 * Every mode runs in the engine itself (one {@link SequenceEngine} per mode, same chunk size,
 * threads and KV windows as a chat session), so what is measured is what users get.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp ... dev.canopy.tools.engine.sparse.eval.PasskeyEval \
 *       --model ../shared/models/passkey-llama-6l-384.gguf [--lengths 4096,8192,16384] [--facts 1,3]
 *       [--per-cell 5] [--modes dense,dhsa,window,topk] [--budget 1024] [--decode-budget 512]
 *       [--threads 2] [--chunk 256] [--seed 1] [--threshold 0.25] [--noise-floor true] [--kv-types q8_0,q4_0]
 *       [--prompts shared/datasets/passkey/sample.jsonl]   (that file's prompts instead of generated ones)
 * </pre>
 */
public final class PasskeyEval {
    private static final int ANSWER_TOKENS = 8;
    /** Noise-floor rows: dense attention over an F32 KV, and llama.cpp's own dense decoder (F16 KV). */
    static final String F32_KV = "dense-f32kv";
    static final String LLAMA_CPP = "llama.cpp";

    private PasskeyEval() {}

    record Outcome(String continuation, boolean correct, boolean confused, double prefillSeconds) {}

    public static void main(String[] args) {
        Map<String, String> o = options(args);
        Path model = Path.of(o.getOrDefault("model", "../shared/models/passkey-llama-6l-384.gguf"));
        int[] lengths = ints(o.getOrDefault("lengths", "4096,8192,16384"));
        int[] facts = ints(o.getOrDefault("facts", "1,3"));
        int chunk = Integer.parseInt(o.getOrDefault("chunk", "256"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        List<AttentionMode> modes = Arrays.stream(o.getOrDefault("modes", "dense,dhsa,window,topk").split(",")).map(AttentionMode::parse).toList();
        SparseAttentionSettings base = SparseAttentionSettings.of(AttentionMode.DENSE)
                .withBudget(Integer.parseInt(o.getOrDefault("budget", "1024")))
                .withDecodeBudget(Integer.parseInt(o.getOrDefault("decode-budget", "" + SparseAttentionSettings.DEFAULT_DECODE_BUDGET)));
        base = base.withExactLastChunk(Boolean.parseBoolean(o.getOrDefault("exact-last", "true")));
        if (o.containsKey("threshold")) base = base.withBoundaries(base.boundaries().withThreshold(Float.parseFloat(o.get("threshold"))));
        List<KvPrecision> kvTypes = o.getOrDefault("kv-types", "").isBlank() ? List.of()
                : Arrays.stream(o.get("kv-types").split(",")).map(String::strip).map(KvPrecision::parse)
                        .filter(k -> k != KvPrecision.F16).toList();

        int cells = (o.containsKey("prompts") ? PasskeySamples.longest(Path.of(o.get("prompts"))) : Arrays.stream(lengths).max().orElse(4096))
                + 2 * ANSWER_TOKENS;
        EngineOptions options = EngineOptions.defaults().withThreads(threads).withChunk(chunk).withContext(cells);
        try (CanopyInferenceModel engine = CanopyInferenceModel.load(ModelInspector.inspect(model), options);
             LlamaModel vocabModel = LlamaModel.load(model, ModelParams.vocab())) {
            LlamaVocab vocab = vocabModel.vocab();
            List<PasskeyPrompt> suite = o.containsKey("prompts")
                    ? PasskeySamples.read(Path.of(o.get("prompts"))).stream().map(PasskeySamples.Sample::prompt).toList()
                    : PasskeyPrompts.forModel(engine.tokenizer()).suite(lengths, facts,
                            Integer.parseInt(o.getOrDefault("per-cell", "5")), Long.parseLong(o.getOrDefault("seed", "1")));
            RunSettings run = engine.defaultSettings();
            System.out.printf(Locale.ROOT, "budget %d, decode budget %s, prompt's last chunk %s, query block %d%n", base.budget(),
                    base.decodeBudget() == SparseAttentionSettings.DENSE_DECODE ? "0 (every key)" : Integer.toString(base.decodeBudget()),
                    base.exactLastChunk() ? "reads every key" : "sparse", run.chunkTokens());
            // the noise floor: two more exact runs (F32 KV in the engine, llama.cpp's own decoder) show
            // how often answers change from rounding alone, which no sparse mode can beat
            boolean floor = Boolean.parseBoolean(o.getOrDefault("noise-floor", "false"));
            LlamaModel reference = floor || Boolean.parseBoolean(o.getOrDefault("reference", "false"))
                    ? LlamaModel.load(model, ModelParams.cpu()) : null;
            Map<String, SequenceEngine> seqs = new LinkedHashMap<>();
            List<String> labels = new ArrayList<>();
            try {
                for (AttentionMode m : modes) seqs.put(m.cliName(), engine.openSequence(run.withAttention(base.withMode(m))));
                for (KvPrecision kv : kvTypes) {   // the same modes over a quantized KV: "same as dense" is agreement with an F16 KV
                    if (kv.unsupportedReason(engine.hparams().headDim()).isPresent()) {
                        System.out.println(kv.fallbackNotice(engine.hparams().headDim()).orElseThrow() + " (its rows are skipped)");
                        continue;
                    }
                    for (AttentionMode m : modes) {
                        seqs.put(m.cliName() + "@" + kv.cliName(), engine.openSequence(new RunSettings(run.contextTokens(),
                                run.chunkTokens(), run.threads(), kv.ggmlType(), run.windows(), base.withMode(m))));
                    }
                }
                if (floor) seqs.put(F32_KV, engine.openSequence(new RunSettings(run.contextTokens(), run.chunkTokens(),
                        run.threads(), llama_h.GGML_TYPE_F32(), run.windows(), SparseAttentionSettings.dense())));
                labels.addAll(seqs.keySet());
                if (floor) labels.add(LLAMA_CPP);
                Map<String, List<Map<String, Outcome>>> byCell = new LinkedHashMap<>();
                for (PasskeyPrompt p : suite) {
                    int[] tokens = vocab.tokenize(p.text(), true, false);
                    Map<String, Outcome> row = new LinkedHashMap<>();
                    for (var e : seqs.entrySet()) row.put(e.getKey(), answer(e.getValue(), tokens, vocab, p));
                    if (reference != null) {
                        Outcome ref = llamaAnswer(reference, tokens, vocab, p, chunk);
                        if (floor) row.put(LLAMA_CPP, ref);
                        else System.out.printf(Locale.ROOT, "%-12s llama.cpp dense '%s' %s%n", p.id(), ref.continuation().strip(), ref.correct() ? "ok" : "--");
                    }
                    printPrompt(p, tokens.length, row);
                    byCell.computeIfAbsent(p.facts().size() + " fact(s) @ " + p.id().substring(0, p.id().indexOf('-')), k -> new ArrayList<>()).add(row);
                }
                printSummary(byCell, labels, seqs);
            } finally {
                seqs.values().forEach(SequenceEngine::close);
                if (reference != null) reference.close();
            }
        }
    }

    /** The greedy continuation (up to the first period, at most 8 tokens) of {@code prompt} in {@code seq}. */
    static Outcome answer(SequenceEngine seq, int[] prompt, LlamaVocab vocab, PasskeyPrompt p) {
        seq.reset();
        long t0 = System.nanoTime();
        float[] logits = seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ANSWER_TOKENS; i++) {
            int next = argmax(logits);
            if (vocab.isEndOfGeneration(next)) break;
            out.add(next);
            String text = vocab.detokenize(out.stream().mapToInt(Integer::intValue).toArray(), true, false);
            if (text.contains(".")) break;
            logits = seq.decode(next);
        }
        String text = vocab.detokenize(out.stream().mapToInt(Integer::intValue).toArray(), true, false);
        return new Outcome(text, p.answeredBy(text), p.confusedBy(text), seconds);
    }

    /** The greedy answer of llama.cpp's own decoder (dense, F16 KV), for comparison. */
    private static Outcome llamaAnswer(LlamaModel model, int[] prompt, LlamaVocab vocab, PasskeyPrompt p, int chunk) {
        try (var ctx = dev.canopy.natives.llama.LlamaContext.create(model, new dev.canopy.natives.llama.ContextParams(prompt.length + 2 * ANSWER_TOKENS, chunk, 1, 2));
             var batch = new dev.canopy.natives.llama.LlamaBatch(chunk, 1)) {
            float[] logits = ctx.prefill(batch, prompt);
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < ANSWER_TOKENS; i++) {
                int next = argmax(logits);
                if (vocab.isEndOfGeneration(next)) break;
                out.add(next);
                if (vocab.detokenize(out.stream().mapToInt(Integer::intValue).toArray(), true, false).contains(".")) break;
                logits = ctx.next(batch, next, prompt.length + i);
            }
            String text = vocab.detokenize(out.stream().mapToInt(Integer::intValue).toArray(), true, false);
            return new Outcome(text, p.answeredBy(text), p.confusedBy(text), 0);
        }
    }

    private static void printPrompt(PasskeyPrompt p, int tokens, Map<String, Outcome> row) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-12s %5d tok  expect%-8s", p.id(), tokens, p.expected()));
        row.forEach((m, r) -> sb.append(String.format(Locale.ROOT, " | %s %-9s %s %5.1fs", m, "'" + r.continuation().strip() + "'",
                r.correct() ? "ok" : r.confused() ? "CF" : "--", r.prefillSeconds())));
        System.out.println(sb);
    }

    private static void printSummary(Map<String, List<Map<String, Outcome>>> byCell, List<String> labels,
                                     Map<String, SequenceEngine> seqs) {
        String dense = AttentionMode.DENSE.cliName();
        System.out.printf(Locale.ROOT, "%n%-18s %-11s %9s %14s %17s %12s%n", "cell", "mode", "accuracy", "same as dense",
                "kept dense's ok", "prefill s");
        Map<String, CellTally> total = new HashMap<>();
        for (var cell : byCell.entrySet()) {
            for (String m : labels) {
                CellTally t = CellTally.of(cell.getValue(), m, dense);
                double secs = cell.getValue().stream().mapToDouble(row -> row.get(m).prefillSeconds()).sum();
                total.merge(m, t, CellTally::plus);
                System.out.printf(Locale.ROOT, "%-18s %-11s %s %12.2f%n", cell.getKey(), m, columns(t), secs / t.prompts());
            }
        }
        for (String m : labels) {
            String buffer = seqs.containsKey(m) ? String.format(Locale.ROOT, "   (compute buffer peak %.1f MiB)", seqs.get(m).prefillComputeBytes() / 1048576.0) : "";
            System.out.printf(Locale.ROOT, "%-18s %-11s %s%s%n", "all", m, columns(total.get(m)), buffer);
        }
    }

    /** Accuracy, agreement with dense, and how many of dense's right answers the mode kept. */
    private static String columns(CellTally t) {
        return String.format(Locale.ROOT, "%5d/%-3d %10d/%-3d %13d/%-3d", t.correct(), t.prompts(), t.sameAsDense(), t.prompts(),
                t.keptRight(), t.denseRight());
    }

    private static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option value, got " + args[i]);
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }
}
