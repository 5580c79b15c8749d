package dev.canopy.tools.engine.bench;

import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.Tokenizer;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * {@code canopy bench-batch}: the same prompts decoded one by one (one session, reset between
 * prompts) and as one batch ({@code generateBatch}), in the same process and run, interleaved,
 * best of {@code repeats}; prints both wall times, their ratio and whether every sequence's greedy
 * tokens are the same both ways. Prompts are sentences of common words ("The old house sees the
 * red river.") cut to each length, so trained models read text they know.
 *
 * <p>Besides wall time it reports the calling thread's CPU time for each way. At {@code --threads 1}
 * ggml computes on the calling thread, so that time is all the work and hardly moves when other
 * processes load the machine; its ratio is the one to trust on a shared machine (as in
 * {@code canopy bench}). With more threads the workers' time is not in it.
 */
public final class BatchBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private BatchBench() {}

    /**
     * @param model        GGUF file
     * @param promptTokens prompt lengths, cycled over the {@code prompts} prompts
     * @param prompts      sequences in the batch
     * @param genTokens    greedy tokens per sequence (fewer where a sequence ends)
     * @param threads      CPU threads
     * @param chunk        prefill chunk size, 0 = the engine's default
     * @param repeats      interleaved runs of each way; the fastest of each is kept
     */
    public record Config(Path model, int[] promptTokens, int prompts, int genTokens, int threads, int chunk, int repeats) {
        public Config {
            promptTokens = promptTokens.clone();
            if (promptTokens.length == 0) throw new IllegalArgumentException("bench-batch needs at least one prompt length");
            for (int p : promptTokens) if (p < 8) throw new IllegalArgumentException("prompt lengths must be at least 8 tokens, not " + p);
            if (prompts < 1) throw new IllegalArgumentException("--prompts must be at least 1");
            if (genTokens < 1) throw new IllegalArgumentException("--gen-tokens must be at least 1");
            if (threads < 1 || chunk < 0 || repeats < 1) throw new IllegalArgumentException("--threads and --repeats must be at least 1");
        }

        int context() {
            return (Arrays.stream(promptTokens).max().orElse(0) + genTokens + 1 + 255) / 256 * 256;
        }
    }

    /** What one run measured: seconds one by one and as a batch (fastest of the repeats), tokens, and agreement. */
    public record Report(Path model, int threads, int prompts, int promptTokens, int generated, double oneByOneSeconds,
                         double batchSeconds, double oneByOneCpuSeconds, double batchCpuSeconds, boolean identical) {
        /** How many times faster the batch is in wall time (> 1: the batch wins). */
        public double speedup() { return oneByOneSeconds / batchSeconds; }

        /** How many times less CPU time of the calling thread the batch takes (all the work at 1 thread). */
        public double cpuSpeedup() { return oneByOneCpuSeconds / batchCpuSeconds; }

        public String table() {
            return String.format("%-12s %10s %10s %12s %12s %12s%n", "way", "seconds", "tokens/s", "vs one-by-one", "cpu seconds", "cpu vs 1-by-1")
                    + String.format("%-12s %10.2f %10.1f %12s %12.2f %12s%n", "one-by-one", oneByOneSeconds,
                    (promptTokens + generated) / oneByOneSeconds, "1.00x", oneByOneCpuSeconds, "1.00x")
                    + String.format("%-12s %10.2f %10.1f %11.2fx %12.2f %11.2fx%n", "batch", batchSeconds,
                    (promptTokens + generated) / batchSeconds, speedup(), batchCpuSeconds, cpuSpeedup())
                    + String.format("%d prompts, %d prompt tokens, %d generated; greedy tokens %s%n", prompts, promptTokens, generated,
                    identical ? "identical both ways" : "DIFFER between the two ways");
        }
    }

    public static Report run(Config config, PrintWriter log) {
        EngineOptions options = EngineOptions.defaults().withThreads(config.threads()).withContext(config.context());
        if (config.chunk() > 0) options = options.withChunk(config.chunk());
        try (InferenceModel model = Engines.load(config.model(), options)) {
            Tokenizer tokenizer = model.tokenizer();
            List<GenerationRequest> requests = new ArrayList<>();
            int promptTokens = 0;
            for (int i = 0; i < config.prompts(); i++) {
                String text = text(tokenizer, config.promptTokens()[i % config.promptTokens().length], i);
                promptTokens += tokenizer.encode(text, true).length;
                requests.add(GenerationRequest.greedy(text, config.genTokens()));
            }
            try (GenerationSession warm = model.openSession()) {            // graphs, caches, JIT
                warm.generateBatch(requests.subList(0, Math.min(2, requests.size())).stream()
                        .map(r -> GenerationRequest.greedy(text(tokenizer, 64, 99), 4)).toList());
                warm.reset();
                warm.generate(GenerationRequest.greedy(text(tokenizer, 64, 98), 4), GenerationListener.NONE);
            }
            double single = Double.MAX_VALUE, batch = Double.MAX_VALUE, singleCpu = Double.MAX_VALUE, batchCpu = Double.MAX_VALUE;
            boolean identical = true;
            int generated = 0;
            for (int rep = 0; rep < config.repeats(); rep++) {   // interleaved, fastest of each: the machine may be shared
                long t0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
                List<int[]> alone = new ArrayList<>();
                try (GenerationSession s = model.openSession()) {
                    for (GenerationRequest r : requests) {
                        s.reset();
                        alone.add(s.generate(r, GenerationListener.NONE).tokens());
                    }
                }
                double oneByOne = (System.nanoTime() - t0) / 1e9, oneByOneCpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e9;
                long t1 = System.nanoTime(), c1 = THREADS.getCurrentThreadCpuTime();
                List<GenerationResult> together;
                try (GenerationSession s = model.openSession()) {
                    together = s.generateBatch(requests);
                }
                double asBatch = (System.nanoTime() - t1) / 1e9, asBatchCpu = (THREADS.getCurrentThreadCpuTime() - c1) / 1e9;
                generated = 0;
                for (int i = 0; i < requests.size(); i++) {
                    identical &= Arrays.equals(alone.get(i), together.get(i).tokens());
                    generated += alone.get(i).length;
                }
                log.printf("  run %d: one-by-one %.2f s, batch %.2f s (%.2fx); thread cpu %.2f s vs %.2f s (%.2fx)%n", rep + 1,
                        oneByOne, asBatch, oneByOne / asBatch, oneByOneCpu, asBatchCpu, oneByOneCpu / asBatchCpu);
                log.flush();
                single = Math.min(single, oneByOne);
                batch = Math.min(batch, asBatch);
                singleCpu = Math.min(singleCpu, oneByOneCpu);
                batchCpu = Math.min(batchCpu, asBatchCpu);
            }
            return new Report(config.model(), config.threads(), config.prompts(), promptTokens, generated, single, batch,
                    singleCpu, batchCpu, identical);
        }
    }

    private static final String[] ADJECTIVES = {"old", "new", "big", "small", "red", "blue", "green", "dark"};
    private static final String[] NOUNS = {"house", "river", "garden", "window", "table", "mountain", "forest"};
    private static final String[] VERBS = {"sees", "finds", "builds", "leaves"};

    /** About {@code tokens} tokens (BOS included) of sentences, then a question the model can go on from. */
    static String text(Tokenizer tokenizer, int tokens, long seed) {
        Random r = new Random(seed);
        String question = " What does the old house see? The old house sees the";
        int budget = tokens - 1 - tokenizer.count(question);
        StringBuilder b = new StringBuilder();
        int used = 0;
        while (true) {
            String s = (b.isEmpty() ? "The " : " The ") + pick(r, ADJECTIVES) + " " + pick(r, NOUNS) + " " + pick(r, VERBS)
                    + " the " + pick(r, ADJECTIVES) + " " + pick(r, NOUNS) + ".";
            int n = tokenizer.count(s);
            if (used + n > budget) break;
            b.append(s);
            used += n;
        }
        return b + question;
    }

    private static String pick(Random r, String[] words) {
        return words[r.nextInt(words.length)];
    }
}
