package dev.canopy.memory.bench;

import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code canopy bench-memory}: the cost of one fact insert (stored, indexed, routed into its trees,
 * the dirty path re-summarized) as the store grows. The store is filled through the same path; at
 * each checkpoint a sample of inserts is timed. A MemForest insert touches one leaf-to-root path
 * per tree, so the per-insert time should stay flat (logarithmic) while the store grows 100x.
 */
public final class InsertBench {
    /** One checkpoint: facts already stored, mean milliseconds per insert of the sample. */
    public record Row(int facts, double msPerInsert, double ratioToFirst) {}

    private static final String[] TOPICS = {"hiking", "the piano", "Lisbon", "sourdough", "chess", "the garden",
            "Ana", "the marathon", "Python", "the cat Miso", "a new job", "the dentist", "Kyoto", "jazz"};
    private static final String[] VERBS = {"likes", "booked", "finished", "started", "talked about", "visited",
            "plans to try", "stopped", "paid for", "recommended"};

    private InsertBench() {}

    public static List<Row> run(List<Integer> checkpoints, int sample, PrintWriter log) throws IOException {
        Path dir = Files.createTempDirectory("canopy-insert-bench-");
        Random rnd = new Random(7);
        List<Row> rows = new ArrayList<>();
        try (MemoryStore store = MemoryStore.open(dir.resolve("bench.db"), MemoryConfig.noModel())) {
            int stored = 0;
            for (int target : checkpoints) {
                while (stored < target) {
                    store.facts().add(fact(rnd, stored), "user");
                    stored++;
                    if (stored % 5_000 == 0) log.printf(Locale.ROOT, "  filled %,d facts%n", stored).flush();
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < sample; i++) store.facts().add(fact(rnd, stored + i), "user");
                stored += sample;
                double ms = (System.nanoTime() - t0) / 1e6 / sample;
                double ratio = rows.isEmpty() ? 1.0 : ms / rows.getFirst().msPerInsert();
                rows.add(new Row(target, ms, ratio));
                log.printf(Locale.ROOT, "%,10d facts: %.3f ms per insert (%.2fx the first checkpoint)%n", target, ms, ratio).flush();
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
        return rows;
    }

    private static String fact(Random rnd, int i) {
        return "The user " + VERBS[rnd.nextInt(VERBS.length)] + " " + TOPICS[rnd.nextInt(TOPICS.length)]
                + " on day " + (i / 7) + " (note " + i + ").";
    }
}
