package dev.canopy.tools.memory.bench;

import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.conversation.NewMessage;
import dev.canopy.memory.conversation.Role;
import dev.canopy.memory.extract.Cell;
import dev.canopy.memory.extract.ExtractionFormat;
import dev.canopy.memory.extract.LlmCellExtractor;
import dev.canopy.memory.extract.Turn;
import dev.canopy.memory.ingest.IngestReport;
import dev.canopy.memory.llm.TextGenerator;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code canopy bench-memory --extract-model}: memory construction throughput with the model
 * extracting cells, {@code parallel} cells decoded as parallel sequences of one batch versus one
 * cell at a time. Each run builds a fresh store from the same synthetic conversation (N cells of
 * two turns) and times {@link MemoryStore#rememberAll()}: extraction, storing, routing and the
 * (extractive) refresh of the trees. Runs alternate P, 1, 1, P, ... so drift in the machine's load
 * hits both modes alike. Decoding is greedy, so both modes should get the same answers and do the
 * same work; batched arithmetic can still flip a near-tie (seen with random weights), and the last
 * line then says so. Only extraction uses the model: summaries are extractive, no LLM duplicate check.
 */
public final class ExtractionBench {
    /** One mode's total over all rounds. */
    public record Row(String mode, int batch, int cells, double seconds, double extractionSeconds, int fallbacks) {
        public double cellsPerSecond() {
            return cells / seconds;
        }
    }

    /** Both modes, the throughput ratio parallel/sequential, and whether the model's answers matched. */
    public record Result(Row parallel, Row sequential, double ratio, boolean sameAnswers) {}

    private static final String[] NAMES = {"Ana", "Bo", "Chen", "Dara", "Emil", "Farah"};
    private static final String[] PLACES = {"Lisbon", "Kyoto", "the lake house", "Oslo", "the climbing gym", "Porto"};
    private static final String[] THINGS = {"a sourdough starter", "the violin", "a marathon", "the garden", "chess",
            "a new job at the library", "the cat Miso", "a trip by train", "the dentist", "jazz records"};
    private static final String[] VERBS = {"started", "finished", "booked", "is worried about", "loves", "gave up",
            "plans to try", "paid for", "talked to Bo about", "recommended"};

    private ExtractionBench() {}

    public static Result run(TextGenerator model, int cells, int parallel, int rounds, int maxTokens, PrintWriter log)
            throws IOException {
        if (cells < 1 || parallel < 2 || rounds < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("cells, rounds and maxTokens must be >= 1 and parallel >= 2 (got cells "
                    + cells + ", parallel " + parallel + ", rounds " + rounds + ", maxTokens " + maxTokens + ")");
        }
        List<String[]> turns = conversation(cells);
        log.printf(Locale.ROOT, "Memory construction: %d cells, parallel batches of %d vs sequential, %d round(s),"
                + " at most %d tokens per cell%n", cells, parallel, rounds, maxTokens).flush();
        // untimed: pages the weights in and warms the JIT on both batch shapes and the grammar
        long w0 = System.nanoTime();
        List<String> warm = List.of(ExtractionFormat.prompt(cell(turns, 0)), ExtractionFormat.prompt(cell(turns, 1)));
        model.generateBatch(warm, ExtractionFormat.GBNF, 4);
        model.generateBatch(warm.subList(0, 1), ExtractionFormat.GBNF, 4);
        log.printf(Locale.ROOT, "  warm-up (untimed): %.2f s%n", (System.nanoTime() - w0) / 1e9).flush();
        double[][] totals = new double[2][3]; // [parallel, sequential] x [seconds, extraction seconds, fallbacks]
        List<List<String>> answers = new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int mode = (r % 2 == 0) ? k : 1 - k; // P,1 then 1,P
                int batch = mode == 0 ? parallel : 1;
                List<String> seen = new ArrayList<>();
                TextGenerator recording = (prompts, grammar, max) -> {
                    List<String> out = model.generateBatch(prompts, grammar, max);
                    seen.addAll(out);
                    return out;
                };
                IngestReport report = build(turns, new LlmCellExtractor(recording, batch, maxTokens));
                if (report.cells() != cells) {
                    throw new IllegalStateException("expected " + cells + " cells, the ingest cut " + report.cells());
                }
                double s = report.total().toNanos() / 1e9, e = report.extraction().toNanos() / 1e9;
                totals[mode][0] += s;
                totals[mode][1] += e;
                totals[mode][2] += report.fallbacks();
                if (r == 0) answers.get(mode).addAll(seen);
                log.printf(Locale.ROOT, "  round %d %-13s %d cells in %.2f s (extraction %.2f s, %d unparsable): %.3f cells/s%n",
                        r + 1, label(batch), cells, s, e, report.fallbacks(), cells / s).flush();
            }
        }
        Row p = new Row(label(parallel), parallel, cells * rounds, totals[0][0], totals[0][1], (int) totals[0][2]);
        Row q = new Row(label(1), 1, cells * rounds, totals[1][0], totals[1][1], (int) totals[1][2]);
        Result result = new Result(p, q, p.cellsPerSecond() / q.cellsPerSecond(), answers.get(0).equals(answers.get(1)));
        for (Row row : List.of(p, q)) {
            log.printf(Locale.ROOT, "%-13s %.3f cells/s (%d cells in %.2f s, extraction %.2f s, %d unparsable)%n",
                    row.mode(), row.cellsPerSecond(), row.cells(), row.seconds(), row.extractionSeconds(), row.fallbacks());
        }
        log.printf(Locale.ROOT, "ratio parallel/sequential: %.2fx%s%n", result.ratio(),
                result.sameAnswers() ? "" : " (warning: the two modes got different answers from the model)").flush();
        return result;
    }

    private static String label(int batch) {
        return batch == 1 ? "sequential" : "parallel x" + batch;
    }

    private static IngestReport build(List<String[]> turns, LlmCellExtractor extractor) throws IOException {
        Path dir = Files.createTempDirectory("canopy-extraction-bench-");
        try (MemoryStore store = MemoryStore.open(dir.resolve("bench.db"), MemoryConfig.noModel().withExtractor(extractor))) {
            var id = store.conversations().create("bench", null, null).id();
            Instant t = Instant.parse("2025-03-01T09:00:00Z");
            for (String[] turn : turns) {
                t = t.plusSeconds(90);
                NewMessage m = turn[0].equals("assistant")
                        ? new NewMessage(Role.ASSISTANT, "assistant", turn[1], null, null, t, null)
                        : NewMessage.user(turn[1]).by(turn[0]).at(t);
                store.conversations().add(id, m);
            }
            return store.rememberAll();
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    /** A stand-in cell for the warm-up prompts (the bench's real cells are cut by the ingest). */
    private static Cell cell(List<String[]> turns, int c) {
        Instant t = Instant.parse("2025-03-01T09:00:00Z");
        return new Cell(-1 - c, 0, 0, t, t, List.of(
                new Turn(-1, Role.USER, turns.get(2 * c)[0], turns.get(2 * c)[1], t),
                new Turn(-2, Role.ASSISTANT, "assistant", turns.get(2 * c + 1)[1], t)));
    }

    /** 2 x {@code cells} turns, user and assistant alternating: {speaker, text}. Same seed, same text. */
    static List<String[]> conversation(int cells) {
        Random rnd = new Random(11);
        String user = NAMES[0];
        List<String[]> out = new ArrayList<>();
        for (int c = 0; c < cells; c++) {
            String who = NAMES[1 + rnd.nextInt(NAMES.length - 1)];
            String thing = THINGS[rnd.nextInt(THINGS.length)];
            out.add(new String[] {user, "My friend " + who + " " + VERBS[rnd.nextInt(VERBS.length)] + " " + thing
                    + " in " + PLACES[rnd.nextInt(PLACES.length)] + " last week, and I " + VERBS[rnd.nextInt(VERBS.length)]
                    + " " + THINGS[rnd.nextInt(THINGS.length)] + " on day " + (c + 1) + "."});
            out.add(new String[] {"assistant", "That sounds like a lot. How did " + who + " feel about " + thing
                    + ", and do you want a reminder about it?"});
        }
        return out;
    }
}
