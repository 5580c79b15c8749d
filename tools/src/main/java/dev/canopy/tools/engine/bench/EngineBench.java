package dev.canopy.tools.engine.bench;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.KvPrecision;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.canopy.RunSettings;
import dev.canopy.engine.canopy.SequenceEngine;
import dev.canopy.natives.NativeLog;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.llama.ContextParams;
import dev.canopy.natives.llama.LlamaBatch;
import dev.canopy.natives.llama.LlamaContext;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.ModelParams;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code canopy bench}: Canopy's engine and libllama's llama_decode on the same model, in the same
 * process, same threads and same chunk size, at each prompt length: prefill throughput of a
 * random-token prompt, then greedy decode throughput of {@code genTokens} tokens after it. Both
 * sides read the logits back and take the argmax in Java, so they pay the same host work.
 */
public final class EngineBench {
    /** Default runs per engine and prompt length; the best prefill and the best decode figure are kept. */
    public static final int DEFAULT_REPEATS = 3;

    private EngineBench() {}

    private static BenchRow best(BenchRow a, BenchRow b) {
        if (a == null) return b;
        return new BenchRow(a.engine(), a.promptTokens(), Math.max(a.prefillPerSec(), b.prefillPerSec()), a.genTokens(),
                Math.max(a.decodePerSec(), b.decodePerSec()), Math.max(a.prefillPerCpuSec(), b.prefillPerCpuSec()),
                Math.max(a.decodePerCpuSec(), b.decodePerCpuSec()), Math.max(a.computeBytes(), b.computeBytes()));
    }

    /**
     * Benchmarks both engines as {@code config} says, logging a progress line per prompt length
     * to {@code log}; returns the report.
     */
    public static BenchReport run(BenchConfig config, PrintWriter log) {
        Path model = config.model();
        int threads = config.threads(), chunk = config.chunk(), genTokens = config.genTokens();
        int context = config.effectiveContext();
        EngineOptions options = EngineOptions.defaults().withThreads(threads).withChunk(chunk).withContext(context)
                .withGpuLayers(config.gpuLayers());
        RunSettings settings = new RunSettings(context, chunk, threads, llama_h.GGML_TYPE_F16(), config.windows());
        List<BenchRow> rows = new ArrayList<>();
        try (CanopyInferenceModel canopy = CanopyInferenceModel.load(ModelInspector.inspect(model), options);
             LlamaModel llama = LlamaModel.load(model, ModelParams.cpu().withGpuLayers(config.gpuLayers()))) {
            int vocab = canopy.hparams().vocab();
            if (config.gpuLayers() != 0) log.printf("  Canopy: %s%n", canopy.placement().describe());
            // the variant run: the sparse mode and/or a quantized KV, next to the dense F16 run
            KvPrecision kv = config.kvPrecision().forHeadDim(canopy.hparams().headDim());
            config.kvPrecision().fallbackNotice(canopy.hparams().headDim()).ifPresent(n -> log.printf("  %s%n", n));
            boolean sparse = config.attention().mode().isSparse() || kv != KvPrecision.F16;
            RunSettings sparseSettings = new RunSettings(context, chunk, threads, kv.ggmlType(), config.windows(), config.attention());
            String sparseName = BenchReport.CANOPY + (config.attention().mode().isSparse() ? " " + config.attention().mode().cliName() : "")
                    + (kv != KvPrecision.F16 ? " kv " + kv.cliName() : "");
            warmUp(canopy, settings, llama, context, chunk, threads, vocab);
            for (int p : config.promptTokens()) {
                int[] prompt = randomPrompt(p, vocab, p);
                BenchRow bestLlama = null, bestCanopy = null, bestSparse = null;
                for (int rep = 0; rep < config.repeats(); rep++) {   // interleaved, best of repeats: the machine may be shared
                    bestLlama = best(bestLlama, runLlama(llama, prompt, genTokens, context, chunk, threads));
                    bestCanopy = best(bestCanopy, runCanopy(canopy, settings, prompt, genTokens, BenchReport.CANOPY));
                    if (sparse) bestSparse = best(bestSparse, runCanopy(canopy, sparseSettings, prompt, genTokens, sparseName));
                }
                rows.add(bestCanopy);
                if (sparse) rows.add(bestSparse);
                rows.add(bestLlama);
                log.printf("  %d tokens: prefill %.1f vs %.1f t/s (%.2fx), decode %.1f vs %.1f t/s (%.2fx)%n", p,
                        bestCanopy.prefillPerSec(), bestLlama.prefillPerSec(), bestCanopy.prefillPerSec() / bestLlama.prefillPerSec(),
                        bestCanopy.decodePerSec(), bestLlama.decodePerSec(), bestCanopy.decodePerSec() / bestLlama.decodePerSec());
                if (sparse) {
                    log.printf("  %d tokens, %s: prefill %.1f t/s (%.2fx llama.cpp, %.2fx canopy), decode %.1f t/s (%.2fx, %.2fx)%n",
                            p, sparseName, bestSparse.prefillPerSec(), bestSparse.prefillPerSec() / bestLlama.prefillPerSec(),
                            bestSparse.prefillPerSec() / bestCanopy.prefillPerSec(), bestSparse.decodePerSec(),
                            bestSparse.decodePerSec() / bestLlama.decodePerSec(), bestSparse.decodePerSec() / bestCanopy.decodePerSec());
                }
                log.flush();
            }
            return new BenchReport(model.getFileName().toString(), threads, chunk, context, genTokens, List.copyOf(rows),
                    sparse ? sparseName : null);
        }
    }

    private static void warmUp(CanopyInferenceModel canopy, RunSettings settings, LlamaModel llama, int context, int chunk,
                               int threads, int vocab) {
        int[] prompt = randomPrompt(Math.min(chunk, 64), vocab, 1);
        runCanopy(canopy, settings, prompt, 4, BenchReport.CANOPY);
        runLlama(llama, prompt, 4, context, chunk, threads);
    }

    static BenchRow runCanopy(CanopyInferenceModel model, RunSettings settings, int[] prompt, int gen, String name) {
        try (SequenceEngine seq = model.openSequence(settings)) {
            long computeBytes = seq.prefillComputeBytes();   // reserved for the largest window up front
            Clock c = new Clock();
            float[] logits = seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
            c.lap();
            for (int i = 0; i < gen; i++) logits = seq.decode(argmax(logits));
            c.lap();
            return c.row(name, prompt.length, gen, computeBytes);
        }
    }

    static BenchRow runLlama(LlamaModel model, int[] prompt, int gen, int context, int chunk, int threads) {
        NativeLog.takeComputeBufferBytes();
        try (LlamaContext ctx = LlamaContext.create(model, new ContextParams(context, chunk, 1, threads));
             LlamaBatch batch = new LlamaBatch(chunk, 1)) {
            long computeBytes = NativeLog.takeComputeBufferBytes();   // from llama.cpp's own log line
            Clock c = new Clock();
            float[] logits = ctx.prefill(batch, prompt);
            c.lap();
            for (int i = 0; i < gen; i++) logits = ctx.next(batch, argmax(logits), prompt.length + i);
            c.lap();
            return c.row(BenchReport.LLAMA, prompt.length, gen, computeBytes);
        }
    }

    /**
     * Wall-clock and calling-thread CPU time of a prefill phase and a decode phase. With one
     * thread ggml computes on the calling thread, so its CPU time is the work itself, without the
     * time other processes of a shared machine took the core away.
     */
    private static final class Clock {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final long[] wall = new long[3], cpu = new long[3];
        private int laps;

        Clock() {
            wall[0] = System.nanoTime();
            cpu[0] = THREADS.getCurrentThreadCpuTime();
        }

        void lap() {
            laps++;
            wall[laps] = System.nanoTime();
            cpu[laps] = THREADS.getCurrentThreadCpuTime();
        }

        BenchRow row(String engine, int prompt, int gen, long computeBytes) {
            return new BenchRow(engine, prompt, perSec(prompt, wall[1] - wall[0]), gen, perSec(gen, wall[2] - wall[1]),
                    perSec(prompt, cpu[1] - cpu[0]), perSec(gen, cpu[2] - cpu[1]), computeBytes);
        }

        private static double perSec(int tokens, long nanos) {
            return tokens * 1e9 / Math.max(1, nanos);
        }
    }

    private static int[] randomPrompt(int n, int vocab, long seed) {
        Random r = new Random(seed);
        int[] out = new int[n];
        out[0] = 1;
        for (int i = 1; i < n; i++) out[i] = 3 + r.nextInt(Math.max(1, vocab - 3));
        return out;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    /** {@code java ... EngineBench MODEL PROMPTS(comma list) GEN [THREADS] [CHUNK]}. */
    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        int[] prompts = java.util.Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        int gen = Integer.parseInt(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        int chunk = args.length > 4 ? Integer.parseInt(args[4]) : CanopyInferenceModel.DEFAULT_CPU_CHUNK;
        PrintWriter out = new PrintWriter(System.out, true);
        out.print(run(new BenchConfig(model, prompts, gen, threads, chunk, DEFAULT_REPEATS, 0), out).table());
        out.flush();
    }
}
