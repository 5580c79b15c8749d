package dev.canopy.tools.engine.kv.bench;

import dev.canopy.kv.KvKey;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.KvPrecision;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.Tokenizer;
import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.canopy.RunSettings;
import dev.canopy.engine.canopy.SequenceEngine;
import dev.canopy.engine.kv.KvOffload;
import dev.canopy.tools.engine.sparse.eval.PasskeyPrompt;
import dev.canopy.tools.engine.sparse.eval.PasskeyPrompts;
import dev.canopy.natives.NativeLog;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.llama.ContextParams;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.ModelParams;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decode speed with the KV all in memory (the engine's dense cache) against the KV in tiers under
 * a budget, on single-fact passkey prompts: tokens/s of decode, bytes read from the page file per
 * decoded token, and whether both give the same answer. With GPU layers the tiers get a device
 * budget too, and a third lane runs llama.cpp with the same layers on the GPU but its KV in host
 * memory ({@code --no-kv-offload}), the usual answer when the KV does not fit in VRAM.
 */
public final class KvDecodeBench {
    /**
     * @param model        GGUF file (a llama-family model the Canopy graph builds)
     * @param tokens       prompt length in tokens
     * @param prompts      single-fact prompts to run
     * @param decodeTokens decode steps timed per prompt (after the answer, the text is whatever follows)
     * @param ramFraction  KV RAM budget as a fraction of the KV size at the context (0 = no RAM budget)
     * @param threads      CPU threads
     * @param chunk        prefill chunk
     * @param seed         prompt seed
     * @param gpuLayers    layers on the GPU for every lane (0 = CPU only, -1 = as many as fit)
     * @param gpuMegabytes the tiers' device budget in MiB (used with GPU layers)
     * @param attendTokens tokens each layer of the tiers attends to per step (0 = derived from the RAM budget)
     * @param kvPrecision  the KV type of both Canopy lanes (dense cache and tiers' pages); F16 when the model cannot use it
     */
    public record Options(Path model, int tokens, int prompts, int decodeTokens, double ramFraction, int threads, int chunk,
                          long seed, int gpuLayers, long gpuMegabytes, int attendTokens, KvPrecision kvPrecision) {
        public Options {
            if (kvPrecision == null) kvPrecision = KvPrecision.F16;
        }

        /** With an F16 KV. */
        public Options(Path model, int tokens, int prompts, int decodeTokens, double ramFraction, int threads, int chunk,
                       long seed, int gpuLayers, long gpuMegabytes, int attendTokens) {
            this(model, tokens, prompts, decodeTokens, ramFraction, threads, chunk, seed, gpuLayers, gpuMegabytes, attendTokens, KvPrecision.F16);
        }
    }

    /** One run of one prompt. */
    public record Run(String answer, boolean correct, double prefillSeconds, double decodeTokensPerSecond, double diskBytesPerToken) {}

    /** Per prompt, the dense and the tiered run, and llama.cpp's with its KV on the CPU (null without GPU layers). */
    public record Row(PasskeyPrompt prompt, Run dense, Run tiered, Run llamaKvOnCpu) {}

    private static final int BLOCK = 4;

    private KvDecodeBench() {}

    public static List<Row> run(Options o, PrintWriter out) {
        int context = o.tokens() + o.decodeTokens() + 64;
        EngineOptions eo = EngineOptions.defaults().withContext(context).withChunk(o.chunk()).withThreads(o.threads())
                .withGpuLayers(o.gpuLayers()).withKvPrecision(o.kvPrecision());
        boolean gpu = o.gpuLayers() != 0;
        List<Row> rows = new ArrayList<>();
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(o.model()), eo);
             LlamaModel llama = gpu ? LlamaModel.load(o.model(), ModelParams.cpu().withGpuLayers(o.gpuLayers())) : null) {
            Tokenizer tok = m.tokenizer();
            PasskeyPrompts gen = PasskeyPrompts.forModel(tok);
            KvPrecision kv = m.kvPrecision();   // F16 for a model whose heads a quantized block does not fit
            m.notice().ifPresent(out::println);
            RunSettings settings = new RunSettings(context, o.chunk(), o.threads(), kv.ggmlType(), CanopyInferenceModel.DEFAULT_WINDOWS);
            long kvBytes = kv.bytesPerToken(m.hparams().layers(), m.hparams().kvWidth()) * context;
            KvOffload tiers = KvOffload.ofMegabytes(null, KvKey.named("bench"), gpu ? o.gpuMegabytes() : 0, -1).withAttendTokens(o.attendTokens());
            if (o.ramFraction() > 0) tiers = tiers.withHostBytes((long) (kvBytes * o.ramFraction()));
            out.printf(Locale.ROOT, "model %s, context %d, KV %.1f MiB (%s, %d bytes/token), RAM budget %s, %d threads%n",
                    o.model().getFileName(), context, kvBytes / 1048576.0, kv.cliName(),
                    kv.bytesPerToken(m.hparams().layers(), m.hparams().kvWidth()), o.ramFraction() > 0
                            ? String.format(Locale.ROOT, "%.0f%% = %.1f MiB", 100 * o.ramFraction(), kvBytes * o.ramFraction() / 1048576.0)
                            : "none", o.threads());
            if (gpu) {
                out.printf(Locale.ROOT, "GPU: %s; tiers' device budget %d MiB; llama.cpp: same layers, KV on the CPU (--no-kv-offload),"
                        + " prefilled with its KV on the GPU and moved to RAM for the decode%n",
                        m.placement().describe(), o.gpuMegabytes());
            }
            for (int i = 0; i < o.prompts(); i++) {
                PasskeyPrompt p = gen.generate(o.tokens(), 1, o.seed() * 1_000_003L + o.tokens() * 31L + 7 + i, i);
                int[] ids = tok.encode(p.text(), true);
                Row r = runPrompt(m, llama, settings, tiers.withKey(KvKey.named("bench-" + i)), p, ids, o, context, i == 0 ? out : null);
                rows.add(r);
                print(out, r, ids.length);
            }
        }
        summarize(out, rows);
        return rows;
    }

    private static Row runPrompt(CanopyInferenceModel m, LlamaModel llama, RunSettings settings, KvOffload tiers, PasskeyPrompt p,
                                 int[] ids, Options o, int context, PrintWriter tierReport) {
        NativeLog.takeKvBufferMiB();
        try (SequenceEngine ds = m.openSequence(settings);
             SequenceEngine ts = m.openSequence(settings, tiers);
             DecodeLane d = new DecodeLane.Canopy(ds, m.tokenizer());
             DecodeLane t = new DecodeLane.Canopy(ts, m.tokenizer());
             DecodeLane l = llama == null ? null : new DecodeLane.Llama(llama,
                     new ContextParams(context, o.chunk(), 1, o.threads()).withKvOnGpu(false).withKvType(settings.kvType()), true,
                     m.tokenizer())) {
            if (tierReport != null) {
                tierReport.println("tiers: " + ts.tieredKv().tierReport());
                if (l != null) tierReport.println("llama.cpp KV buffers (MiB): " + NativeLog.takeKvBufferMiB());
            }
            List<DecodeLane> lanes = l == null ? List.of(d, t) : List.of(d, t, l);
            for (DecodeLane lane : lanes) lane.prefill(ids);
            for (int done = 0; done < o.decodeTokens(); done += BLOCK) { // alternate blocks: same machine load for all
                int n = Math.min(BLOCK, o.decodeTokens() - done);
                for (DecodeLane lane : lanes) lane.decode(n);
            }
            return new Row(p, d.result(p), t.result(p), l == null ? null : l.result(p));
        }
    }

    private static void print(PrintWriter out, Row r, int tokens) {
        Run dense = r.dense(), tiered = r.tiered();
        PasskeyPrompt p = r.prompt();
        out.printf(Locale.ROOT, "%-10s %6d tok expect%-8s | dense %-8s %s prefill %6.1f s decode %6.2f tok/s | tiered %-8s %s prefill %6.1f s decode %6.2f tok/s (%.2fx), disk %.0f KiB/token",
                p.id(), tokens, p.expected().strip(), shown(dense), mark(dense), dense.prefillSeconds(), dense.decodeTokensPerSecond(),
                shown(tiered), mark(tiered), tiered.prefillSeconds(), tiered.decodeTokensPerSecond(),
                tiered.decodeTokensPerSecond() / dense.decodeTokensPerSecond(), tiered.diskBytesPerToken() / 1024);
        Run l = r.llamaKvOnCpu();
        if (l != null) {
            out.printf(Locale.ROOT, " | llama.cpp KV on CPU %-8s %s prefill %6.1f s decode %6.2f tok/s (tiered %.2fx)",
                    shown(l), mark(l), l.prefillSeconds(), l.decodeTokensPerSecond(), tiered.decodeTokensPerSecond() / l.decodeTokensPerSecond());
        }
        out.printf(" | %s%n", dense.answer().equals(tiered.answer()) ? "same answer" : "DIFFERENT answer");
        out.flush();
    }

    private static void summarize(PrintWriter out, List<Row> rows) {
        double ratio = rows.stream().mapToDouble(r -> r.tiered().decodeTokensPerSecond() / r.dense().decodeTokensPerSecond()).average().orElse(0);
        out.printf(Locale.ROOT, "summary: %d prompts, dense correct %d, tiered correct %d, same answers %d, decode speed tiered/dense %.2fx (mean)",
                rows.size(), rows.stream().filter(r -> r.dense().correct()).count(), rows.stream().filter(r -> r.tiered().correct()).count(),
                rows.stream().filter(r -> r.dense().answer().equals(r.tiered().answer())).count(), ratio);
        if (!rows.isEmpty() && rows.getFirst().llamaKvOnCpu() != null) {
            double vsLlama = rows.stream().mapToDouble(r -> r.tiered().decodeTokensPerSecond() / r.llamaKvOnCpu().decodeTokensPerSecond()).average().orElse(0);
            out.printf(Locale.ROOT, ", tiered/llama.cpp KV on CPU %.2fx (mean), llama.cpp same answers as dense %d",
                    vsLlama, rows.stream().filter(r -> r.dense().answer().equals(r.llamaKvOnCpu().answer())).count());
        }
        out.println();
        out.flush();
    }

    /** The answer as the table shows it: at most 8 characters, so that a rambling one keeps the columns. */
    private static String shown(Run r) {
        String a = r.answer().replaceAll("\\s+", " ");
        return a.length() <= 8 ? a : a.substring(0, 6) + "..";
    }

    private static String mark(Run r) {
        return r.correct() ? "ok " : "BAD";
    }
}
