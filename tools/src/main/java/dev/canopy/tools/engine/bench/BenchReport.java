package dev.canopy.tools.engine.bench;

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
 * @param sparseEngine the name of Canopy's sparse-attention rows ("canopy dhsa"), or null when only dense ran
 */
public record BenchReport(String model, int threads, int chunk, int context, int genTokens, List<BenchRow> rows,
                          String sparseEngine) {
    /** A dense-only report. */
    public BenchReport(String model, int threads, int chunk, int context, int genTokens, List<BenchRow> rows) {
        this(model, threads, chunk, context, genTokens, rows, null);
    }

    public static final String CANOPY = "canopy";
    public static final String LLAMA = "llama.cpp";

    /**
     * Both engines at one prompt length, with canopy / llama.cpp throughput ratios (above 1: Canopy
     * is faster); {@code sparse} is Canopy with sparse attention (null when not measured).
     */
    public record Comparison(int promptTokens, BenchRow canopy, BenchRow llama, BenchRow sparse) {
        public double prefillRatio() { return canopy.prefillPerSec() / llama.prefillPerSec(); }
        public double decodeRatio() { return canopy.decodePerSec() / llama.decodePerSec(); }
        public double sparsePrefillCpuRatio() { return sparse.prefillPerCpuSec() / llama.prefillPerCpuSec(); }
        public double sparseDecodeCpuRatio() { return sparse.decodePerCpuSec() / llama.decodePerCpuSec(); }
        public double sparsePrefillRatio() { return sparse.prefillPerSec() / llama.prefillPerSec(); }
        public double sparseDecodeRatio() { return sparse.decodePerSec() / llama.decodePerSec(); }
        /** Canopy's sparse compute buffer over llama.cpp's (below 1: less memory), NaN when unknown. */
        public double sparseMemoryRatio() { return llama.computeBytes() == 0 ? Double.NaN : (double) sparse.computeBytes() / llama.computeBytes(); }
        /** The prefill ratio in tokens per CPU-second of the computing thread (meaningful with one thread). */
        public double prefillCpuRatio() { return canopy.prefillPerCpuSec() / llama.prefillPerCpuSec(); }
        public double decodeCpuRatio() { return canopy.decodePerCpuSec() / llama.decodePerCpuSec(); }
    }

    /** One comparison per prompt length, in the order measured. */
    public List<Comparison> comparisons() {
        return rows.stream().mapToInt(BenchRow::promptTokens).distinct()
                .mapToObj(p -> find(CANOPY, p).flatMap(c -> find(LLAMA, p).map(l -> new Comparison(p, c, l,
                        sparseEngine == null ? null : find(sparseEngine, p).orElse(null)))))
                .flatMap(Optional::stream).toList();
    }

    /** The sparse attention mode measured ("dhsa"), or null when only dense ran. */
    public String sparseMode() {
        return sparseEngine == null ? null : sparseEngine.substring(CANOPY.length() + 1);
    }

    /** A plain-text table: per prompt length, one row per engine and one row of ratios. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("model: ").append(model).append("   threads: ").append(threads).append("   chunk C: ").append(chunk)
                .append("   context: ").append(context)
                .append("   decode: ").append(genTokens).append(" tokens\n");
        String line = "%8s  %-18s %16s %16s %14s%n";
        sb.append(String.format(line, "prompt", "engine", "prefill tok/s", "decode tok/s", "compute MiB"));
        for (Comparison c : comparisons()) {
            sb.append(String.format(line, c.promptTokens(), CANOPY, fmt(c.canopy().prefillPerSec()), fmt(c.canopy().decodePerSec()), mib(c.canopy())));
            if (c.sparse() != null) {
                sb.append(String.format(line, "", sparseEngine, fmt(c.sparse().prefillPerSec()), fmt(c.sparse().decodePerSec()), mib(c.sparse())));
            }
            sb.append(String.format(line, "", LLAMA, fmt(c.llama().prefillPerSec()), fmt(c.llama().decodePerSec()), mib(c.llama())));
            sb.append(String.format(line, "", "ratio", String.format("%.2fx", c.prefillRatio()),
                    String.format("%.2fx", c.decodeRatio()), ""));
            if (c.sparse() != null) {
                sb.append(String.format(line, "", "ratio " + sparseMode(), String.format("%.2fx", c.sparsePrefillRatio()),
                        String.format("%.2fx", c.sparseDecodeRatio()), Double.isNaN(c.sparseMemoryRatio()) ? "" : String.format("%.2fx", c.sparseMemoryRatio())));
            }
            if (threads == 1) {   // one thread computes on the caller: its CPU time excludes the machine's other load
                sb.append(String.format(line, "", "ratio cpu-time", String.format("%.2fx", c.prefillCpuRatio()),
                        String.format("%.2fx", c.decodeCpuRatio()), ""));
                if (c.sparse() != null) {
                    sb.append(String.format(line, "", "ratio " + sparseMode() + " cpu",
                            String.format("%.2fx", c.sparsePrefillCpuRatio()), String.format("%.2fx", c.sparseDecodeCpuRatio()), ""));
                }
            }
        }
        return sb.toString().lines().map(String::stripTrailing).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    private static String mib(BenchRow r) {
        return r.computeBytes() == 0 ? "?" : String.format("%.1f", r.computeBytes() / 1048576.0);
    }

    private static String fmt(double perSec) {
        return String.format("%.1f", perSec);
    }

    private Optional<BenchRow> find(String engine, int prompt) {
        return rows.stream().filter(r -> r.engine().equals(engine) && r.promptTokens() == prompt).findFirst();
    }
}
