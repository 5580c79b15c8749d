package dev.canopy.engine.bench;

import java.util.List;
import java.util.Optional;

/**
 * The figures of a bench run, both engines side by side, and the canopy / llama.cpp ratios.
 *
 * @param model     file name of the benchmarked model
 * @param threads   CPU threads both engines used
 * @param chunk     prefill chunk size C (llama.cpp's n_batch = n_ubatch = C)
 * @param context   KV cells of both engines
 * @param genTokens tokens decoded after each prompt
 * @param rows      one row per engine and prompt length
 */
public record BenchReport(String model, int threads, int chunk, int context, int genTokens, List<BenchRow> rows) {
    public static final String CANOPY = "canopy";
    public static final String LLAMA = "llama.cpp";

    /** Both engines at one prompt length, with canopy / llama.cpp throughput ratios (above 1: Canopy is faster). */
    public record Comparison(int promptTokens, BenchRow canopy, BenchRow llama) {
        public double prefillRatio() { return canopy.prefillPerSec() / llama.prefillPerSec(); }
        public double decodeRatio() { return canopy.decodePerSec() / llama.decodePerSec(); }
        /** The prefill ratio in tokens per CPU-second of the computing thread (meaningful with one thread). */
        public double prefillCpuRatio() { return canopy.prefillPerCpuSec() / llama.prefillPerCpuSec(); }
        public double decodeCpuRatio() { return canopy.decodePerCpuSec() / llama.decodePerCpuSec(); }
    }

    /** One comparison per prompt length, in the order measured. */
    public List<Comparison> comparisons() {
        return rows.stream().mapToInt(BenchRow::promptTokens).distinct()
                .mapToObj(p -> find(CANOPY, p).flatMap(c -> find(LLAMA, p).map(l -> new Comparison(p, c, l))))
                .flatMap(Optional::stream).toList();
    }

    /** A plain-text table: per prompt length, one row per engine and one row of ratios. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("model: ").append(model).append("   threads: ").append(threads).append("   chunk C: ").append(chunk)
                .append("   context: ").append(context)
                .append("   decode: ").append(genTokens).append(" tokens\n");
        String line = "%8s  %-16s %16s %16s%n";
        sb.append(String.format(line, "prompt", "engine", "prefill tok/s", "decode tok/s"));
        for (Comparison c : comparisons()) {
            sb.append(String.format(line, c.promptTokens(), CANOPY, fmt(c.canopy().prefillPerSec()), fmt(c.canopy().decodePerSec())));
            sb.append(String.format(line, "", LLAMA, fmt(c.llama().prefillPerSec()), fmt(c.llama().decodePerSec())));
            sb.append(String.format(line, "", "ratio", String.format("%.2fx", c.prefillRatio()),
                    String.format("%.2fx", c.decodeRatio())));
            if (threads == 1) {   // one thread computes on the caller: its CPU time excludes the machine's other load
                sb.append(String.format(line, "", "ratio cpu-time", String.format("%.2fx", c.prefillCpuRatio()),
                        String.format("%.2fx", c.decodeCpuRatio())));
            }
        }
        return sb.toString();
    }

    private static String fmt(double perSec) {
        return String.format("%.1f", perSec);
    }

    private Optional<BenchRow> find(String engine, int prompt) {
        return rows.stream().filter(r -> r.engine().equals(engine) && r.promptTokens() == prompt).findFirst();
    }
}
