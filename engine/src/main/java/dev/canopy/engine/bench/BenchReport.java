package dev.canopy.engine.bench;

import java.util.List;

/** The figures of a bench run, both engines side by side, and the canopy / llama.cpp ratios. */
public record BenchReport(String model, int threads, int chunk, List<BenchRow> rows) {

    /** A plain-text table: one line per prompt length with both engines and the ratios. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("model: ").append(model).append("   threads: ").append(threads).append("   chunk C: ").append(chunk).append('\n');
        sb.append(String.format("%8s | %14s %14s %7s | %14s %14s %7s%n", "prompt", "canopy pp t/s", "llama pp t/s",
                "ratio", "canopy tg t/s", "llama tg t/s", "ratio"));
        for (int p : rows.stream().mapToInt(BenchRow::promptTokens).distinct().toArray()) {
            BenchRow c = find("canopy", p), l = find("llama.cpp", p);
            if (c == null || l == null) continue;
            sb.append(String.format("%8d | %14.1f %14.1f %6.2fx | %14.1f %14.1f %6.2fx%n", p,
                    c.prefillPerSec(), l.prefillPerSec(), c.prefillPerSec() / l.prefillPerSec(),
                    c.decodePerSec(), l.decodePerSec(), c.decodePerSec() / l.decodePerSec()));
        }
        return sb.toString();
    }

    private BenchRow find(String engine, int prompt) {
        return rows.stream().filter(r -> r.engine().equals(engine) && r.promptTokens() == prompt).findFirst().orElse(null);
    }
}
