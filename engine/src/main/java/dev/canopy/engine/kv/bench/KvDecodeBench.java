package dev.canopy.engine.kv.bench;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.Tokenizer;
import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.canopy.RunSettings;
import dev.canopy.engine.canopy.SequenceEngine;
import dev.canopy.engine.kv.KvOffload;
import dev.canopy.engine.kv.TieredKvCache;
import dev.canopy.engine.sparse.eval.PasskeyPrompt;
import dev.canopy.engine.sparse.eval.PasskeyPrompts;
import dev.canopy.kv.KvStats;
import dev.canopy.natives.ffi.llama_h;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Decode speed with the KV all in RAM (the engine's dense cache) against the KV in tiers under a
 * RAM budget (a fraction of the KV size), on single-fact passkey prompts: tokens/s of decode,
 * bytes read from the page file per decoded token, and whether both give the same answer.
 */
public final class KvDecodeBench {
    /**
     * @param model        GGUF file (a llama-family model the Canopy graph builds)
     * @param tokens       prompt length in tokens
     * @param prompts      single-fact prompts to run
     * @param decodeTokens decode steps timed per prompt (after the answer, the text is whatever follows)
     * @param ramFraction  KV RAM budget as a fraction of the KV size at the context
     * @param threads      CPU threads
     * @param chunk        prefill chunk
     * @param seed         prompt seed
     */
    public record Options(Path model, int tokens, int prompts, int decodeTokens, double ramFraction, int threads, int chunk, long seed) {}

    /** One run of one prompt. */
    public record Run(String answer, boolean correct, double prefillSeconds, double decodeTokensPerSecond, double diskBytesPerToken) {}

    /** Per prompt, the dense and the tiered run. */
    public record Row(PasskeyPrompt prompt, Run dense, Run tiered) {}

    private KvDecodeBench() {}

    public static List<Row> run(Options o, PrintWriter out) {
        int context = o.tokens() + o.decodeTokens() + 64;
        EngineOptions eo = EngineOptions.defaults().withContext(context).withChunk(o.chunk()).withThreads(o.threads());
        List<Row> rows = new ArrayList<>();
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(o.model()), eo)) {
            Tokenizer tok = m.tokenizer();
            ToIntFunction<String> count = t -> tok.encode(t, false).length;
            PasskeyPrompts gen = new PasskeyPrompts(count, PasskeyPrompts.singleTokenLabels(count));
            RunSettings settings = new RunSettings(context, o.chunk(), o.threads(), llama_h.GGML_TYPE_F16(), CanopyInferenceModel.DEFAULT_WINDOWS);
            long kvBytes = 2L * m.hparams().layers() * context * m.hparams().kvWidth() * 2;
            KvOffload tiers = KvOffload.ofMegabytes(null, "bench", 0, -1).withHostBytes((long) (kvBytes * o.ramFraction()));
            out.printf(Locale.ROOT, "model %s, context %d, KV %.1f MiB (F16), RAM budget %.0f%% = %.1f MiB, %d threads%n",
                    o.model().getFileName(), context, kvBytes / 1048576.0, 100 * o.ramFraction(), kvBytes * o.ramFraction() / 1048576.0, o.threads());
            for (int i = 0; i < o.prompts(); i++) {
                PasskeyPrompt p = gen.generate(o.tokens(), 1, o.seed() * 1_000_003L + o.tokens() * 31L + 7 + i, i);
                int[] ids = tok.encode(p.text(), true);
                Run dense, tiered;
                try (SequenceEngine ds = m.openSequence(settings);
                     SequenceEngine ts = m.openSequence(settings, tiers.withConversation("bench-" + i))) {
                    if (i == 0) out.println("tiers: " + ts.tieredKv().tierReport());
                    Lane d = new Lane(ds, null, tok), t = new Lane(ts, ts.tieredKv(), tok);
                    d.prefill(ids);
                    t.prefill(ids);
                    for (int done = 0; done < o.decodeTokens(); done += BLOCK) { // alternate blocks: same machine load for both
                        int n = Math.min(BLOCK, o.decodeTokens() - done);
                        d.decode(n);
                        t.decode(n);
                    }
                    dense = d.result(p);
                    tiered = t.result(p);
                }
                Row r = new Row(p, dense, tiered);
                rows.add(r);
                out.printf(Locale.ROOT, "%-10s %6d tok expect%-8s | dense %-8s %s prefill %6.1f s decode %6.2f tok/s | tiered %-8s %s prefill %6.1f s decode %6.2f tok/s (%.2fx), disk %.0f KiB/token | %s%n",
                        p.id(), ids.length, p.expected().strip(), dense.answer(), mark(dense), dense.prefillSeconds(), dense.decodeTokensPerSecond(),
                        tiered.answer(), mark(tiered), tiered.prefillSeconds(), tiered.decodeTokensPerSecond(),
                        tiered.decodeTokensPerSecond() / dense.decodeTokensPerSecond(), tiered.diskBytesPerToken() / 1024,
                        dense.answer().equals(tiered.answer()) ? "same answer" : "DIFFERENT answer");
                out.flush();
            }
        }
        double ratio = rows.stream().mapToDouble(r -> r.tiered().decodeTokensPerSecond() / r.dense().decodeTokensPerSecond()).average().orElse(0);
        out.printf(Locale.ROOT, "summary: %d prompts, dense correct %d, tiered correct %d, same answers %d, decode speed tiered/dense %.2fx (mean)%n",
                rows.size(), rows.stream().filter(r -> r.dense().correct()).count(), rows.stream().filter(r -> r.tiered().correct()).count(),
                rows.stream().filter(r -> r.dense().answer().equals(r.tiered().answer())).count(), ratio);
        return rows;
    }

    private static String mark(Run r) {
        return r.correct() ? "ok " : "BAD";
    }

    private static final int BLOCK = 4;

    /** One sequence under test: prefill, then greedy decode in blocks; the answer is the text up to the first '.'. */
    private static final class Lane {
        private final SequenceEngine seq;
        private final TieredKvCache kv;
        private final Tokenizer tok;
        private final List<Integer> out = new ArrayList<>();
        private float[] logits;
        private double prefillSeconds;
        private long decodeNanos;
        private KvStats before;
        private String answer;

        Lane(SequenceEngine seq, TieredKvCache kv, Tokenizer tok) {
            this.seq = seq;
            this.kv = kv;
            this.tok = tok;
        }

        void prefill(int[] ids) {
            long t0 = System.nanoTime();
            logits = seq.prefill(ids, 0, new CancellationToken(), GenerationListener.NONE).logits();
            prefillSeconds = (System.nanoTime() - t0) / 1e9;
            before = kv == null ? null : kv.stats();
        }

        void decode(int n) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int next = argmax(logits);
                out.add(next);
                logits = seq.decode(next);
            }
            decodeNanos += System.nanoTime() - t0;
        }

        Run result(PasskeyPrompt p) {
            List<Integer> upTo = new ArrayList<>();
            for (int id : out) {
                upTo.add(id);
                String text = tok.decode(upTo.stream().mapToInt(Integer::intValue).toArray());
                if (text.contains(".") || tok.isEndOfGeneration(id) || upTo.size() >= 8) break;
            }
            answer = tok.decode(upTo.stream().mapToInt(Integer::intValue).toArray()).strip();
            double disk = kv == null ? 0 : (double) kv.stats().minus(before).diskBytesRead() / out.size();
            return new Run(answer, p.answeredBy(answer), prefillSeconds, out.size() / (decodeNanos / 1e9), disk);
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
