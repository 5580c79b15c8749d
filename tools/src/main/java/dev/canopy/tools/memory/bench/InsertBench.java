package dev.canopy.tools.memory.bench;

import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.fact.Deduplicator;
import dev.canopy.memory.text.FtsQuery;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code canopy bench-memory}: the cost of one fact insert (stored, indexed, routed into its trees,
 * the dirty path re-summarized) as the store grows. The store is filled through the same insert
 * path in batches ({@code addAll}: one transaction and one refresh per batch, so 100K facts fill in
 * minutes); at each checkpoint a sample of single inserts ({@code add}, one transaction and one
 * refresh each, as the app does) is timed. A warm-up on a scratch store runs first so the first
 * checkpoint does not pay for JIT compilation. A MemForest insert touches one leaf-to-root path per
 * tree, so the per-insert time should stay flat (logarithmic) while the store grows 100x.
 */
public final class InsertBench {
    /**
     * One checkpoint: facts already stored; the sample's mean and median milliseconds per insert and
     * their ratios to the first checkpoint's (the mean includes the occasional WAL checkpoint, the
     * median shows the typical insert); the height of the tallest tree then (an insert re-summarizes
     * one node per level); the median duplicate lookup of a new extracted fact ({@link Deduplicator},
     * run before each insert of the remember path, which the timed {@code add} skips), and of the
     * any-word search it replaced.
     */
    public record Row(int facts, double meanMs, double medianMs, double meanRatio, double medianRatio, int treeLevels,
                      double dedupMedianMs, double anyWordMedianMs) {}

    static final int FILL_BATCH = 1_000;
    private static final int WARMUP_FACTS = 3_000;
    private static final int WARMUP_SINGLE = 500;
    private static final String USER = "user";
    private static final String[] TOPICS = {"hiking", "the piano", "Lisbon", "sourdough", "chess", "the garden",
            "Ana", "the marathon", "Python", "the cat Miso", "a new job", "the dentist", "Kyoto", "jazz"};
    private static final String[] VERBS = {"likes", "booked", "finished", "started", "talked about", "visited",
            "plans to try", "stopped", "paid for", "recommended"};

    private InsertBench() {}

    public static List<Row> run(List<Integer> checkpoints, int sample, PrintWriter log) throws IOException {
        Path dir = Files.createTempDirectory("canopy-insert-bench-");
        List<Row> rows = new ArrayList<>();
        try {
            int largest = checkpoints.stream().mapToInt(Integer::intValue).max().orElse(0);
            warmUp(dir.resolve("warmup.db"), Math.min(WARMUP_FACTS, largest), Math.min(WARMUP_SINGLE, sample), log);
            Random rnd = new Random(7);
            try (MemoryStore store = MemoryStore.open(dir.resolve("bench.db"), MemoryConfig.noModel())) {
                int stored = 0;
                long fillNanos = 0;
                int batched = 0;
                for (int target : checkpoints) {
                    long f0 = System.nanoTime();
                    int before = stored;
                    stored = fill(store, rnd, stored, target, log);
                    batched += stored - before;
                    fillNanos += System.nanoTime() - f0;
                    long[] nanos = new long[sample];
                    for (int i = 0; i < sample; i++) {
                        long t0 = System.nanoTime();
                        store.facts().add(fact(rnd, stored + i), USER);
                        nanos[i] = System.nanoTime() - t0;
                    }
                    stored += sample;
                    double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
                    Arrays.sort(nanos);
                    double median = nanos[sample / 2] / 1e6;
                    Row first = rows.isEmpty() ? null : rows.getFirst();
                    int levels = store.database().read("measuring", s -> (int) s.longValue("SELECT max(level) FROM nodes"));
                    double[] dedup = dedupMedianMs(store, rnd, stored, sample);
                    Row row = new Row(target, mean, median, first == null ? 1.0 : mean / first.meanMs(),
                            first == null ? 1.0 : median / first.medianMs(), levels, dedup[0], dedup[1]);
                    rows.add(row);
                    log.printf(Locale.ROOT, "%,10d facts: %.3f ms per insert (%.2fx the first checkpoint), median %.3f ms"
                            + " (%.2fx), tallest tree %d levels above its leaves%n", target, mean, row.meanRatio(), median,
                            row.medianRatio(), levels).flush();
                    log.printf(Locale.ROOT, "%10s        duplicate lookup median %.3f ms (%.2fx the first checkpoint);"
                            + " any-word search it replaced %.3f ms (%.1fx slower)%n", "", dedup[0],
                            first == null ? 1.0 : dedup[0] / first.dedupMedianMs(), dedup[1], dedup[1] / dedup[0]).flush();
                }
                log.printf(Locale.ROOT, "filled %,d facts in batches of %,d in %.0f s (and %,d timed single inserts)%n",
                        batched, FILL_BATCH, fillNanos / 1e9, stored - batched).flush();
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
        return rows;
    }

    /** Both insert paths on a scratch store, so the JIT has compiled them before anything is timed. */
    private static void warmUp(Path file, int batched, int single, PrintWriter log) {
        log.printf(Locale.ROOT, "warming up on a scratch store (%,d facts)%n", batched + single).flush();
        Random rnd = new Random(11);
        try (MemoryStore store = MemoryStore.open(file, MemoryConfig.noModel())) {
            fill(store, rnd, 0, batched, null);
            for (int i = 0; i < single; i++) store.facts().add(fact(rnd, batched + i), USER);
        }
    }

    /**
     * Median milliseconds of looking up {@code sample} new facts' duplicates (none is stored, so the
     * whole search runs), and of the search it replaced (2026-12-02): the best 20 by BM25 of every fact
     * sharing any content word. Returns {now, before}.
     */
    private static double[] dedupMedianMs(MemoryStore store, Random rnd, int stored, int sample) {
        Deduplicator dedup = Deduplicator.defaults();
        long[] now = new long[sample];
        long[] before = new long[sample];
        for (int i = 0; i < sample; i++) {
            String text = fact(rnd, stored + 1_000_000_000 + i);   // a note number no stored fact has
            long t0 = System.nanoTime();
            store.database().read("finding duplicates", s -> dedup.find(s, text, null));
            long t1 = System.nanoTime();
            store.database().read("finding duplicates", s -> s.list(
                    "SELECT rowid FROM fact_fts WHERE fact_fts MATCH ? ORDER BY bm25(fact_fts) LIMIT 20",
                    rs -> rs.getLong(1), FtsQuery.anyOf(text)));
            now[i] = t1 - t0;
            before[i] = System.nanoTime() - t1;
        }
        Arrays.sort(now);
        Arrays.sort(before);
        return new double[] {now[sample / 2] / 1e6, before[sample / 2] / 1e6};
    }

    /** Adds facts through the batch path until the store holds {@code target}; returns the new count. */
    private static int fill(MemoryStore store, Random rnd, int stored, int target, PrintWriter log) {
        while (stored < target) {
            int n = Math.min(FILL_BATCH, target - stored);
            List<String> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) batch.add(fact(rnd, stored + i));
            store.facts().addAll(batch, USER);
            int before = stored;
            stored += n;
            if (log != null && stored / 10_000 > before / 10_000) {
                log.printf(Locale.ROOT, "  filled %,d facts%n", stored).flush();
            }
        }
        return stored;
    }

    private static String fact(Random rnd, int i) {
        return "The user " + VERBS[rnd.nextInt(VERBS.length)] + " " + TOPICS[rnd.nextInt(TOPICS.length)]
                + " on day " + (i / 7) + " (note " + i + ").";
    }
}
