package dev.canopy.memory.ingest;

import dev.canopy.memory.conversation.Role;
import dev.canopy.memory.db.Database;
import dev.canopy.memory.db.Sql;
import dev.canopy.memory.extract.Cell;
import dev.canopy.memory.extract.CellExtraction;
import dev.canopy.memory.extract.CellExtractor;
import dev.canopy.memory.extract.ExtractedFact;
import dev.canopy.memory.extract.Turn;
import dev.canopy.memory.fact.Deduplicator;
import dev.canopy.memory.fact.EntityStore;
import dev.canopy.memory.fact.FactOrigin;
import dev.canopy.memory.fact.FactStore;
import dev.canopy.memory.fact.NewFact;
import dev.canopy.memory.forest.Router;
import dev.canopy.memory.llm.Embedder;
import dev.canopy.memory.llm.Vectors;
import dev.canopy.memory.summarize.Refresher;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The write path: cut new messages into cells, extract them a batch at a time (the batch is decoded
 * in parallel by a model-backed extractor), store the facts (de-duplicated), route cells and facts
 * into their trees, then refresh the dirty paths. Each batch is stored in one transaction and a cell
 * stays PENDING until then, so a crash at any point is resumed by the next run. One run at a time.
 */
public final class MemoryIngestor {

    private final Database db;
    private final CellExtractor extractor;
    private final Deduplicator dedup;
    private final Router router;
    private final Refresher refresher;
    private final Optional<Embedder> embedder;
    private final InstantSource clock;

    public MemoryIngestor(Database db, CellExtractor extractor, Deduplicator dedup, Router router, Refresher refresher,
                          Optional<Embedder> embedder, InstantSource clock) {
        this.db = db;
        this.extractor = extractor;
        this.dedup = dedup;
        this.router = router;
        this.refresher = refresher;
        this.embedder = embedder;
        this.clock = clock;
    }

    /**
     * Brings memory up to date with the stored messages.
     *
     * @param flushPartial also cut a last lone turn into a cell (end of a conversation, imports)
     */
    public IngestReport ingest(boolean flushPartial) {
        return ingest(flushPartial, extractor);
    }

    /**
     * Like {@link #ingest(boolean)} with another extractor for this run (the app passes one over the
     * model it has loaded). An exception from the extractor ends the run: the batches stored before
     * it stay, the failed batch's cells stay PENDING for the next run.
     */
    public synchronized IngestReport ingest(boolean flushPartial, CellExtractor extractor) {
        long t0 = System.nanoTime();
        int cells = db.write("cutting cells", s -> CellCutter.cutAll(s, flushPartial));
        int[] counts = new int[3];
        long extractNanos = 0;
        int batch = Math.max(1, extractor.batchSize());
        while (true) {
            List<Cell> pending = db.read("reading cells", s -> CellCutter.pending(s, batch));
            if (pending.isEmpty()) {
                break;
            }
            long e0 = System.nanoTime();
            List<CellExtraction> results = extractor.extract(pending);
            extractNanos += System.nanoTime() - e0;
            if (results.size() != pending.size()) {
                throw new IllegalStateException("extractor returned " + results.size() + " results for "
                        + pending.size() + " cells");
            }
            List<float[]> vectors = embed(results);
            db.write("storing memories", s -> {
                store(s, pending, results, vectors, counts, extractor.origin());
                return null;
            });
        }
        var refresh = refresher.refresh();
        return new IngestReport(cells, counts[0], counts[1], counts[2], refresh, Duration.ofNanos(extractNanos),
                Duration.ofNanos(System.nanoTime() - t0));
    }

    private List<float[]> embed(List<CellExtraction> results) {
        if (embedder.isEmpty()) {
            return null;
        }
        List<String> texts = results.stream().flatMap(r -> r.facts().stream()).map(ExtractedFact::text).toList();
        return texts.isEmpty() ? List.of() : embedder.get().embed(texts);
    }

    private void store(Sql s, List<Cell> cells, List<CellExtraction> results, List<float[]> vectors, int[] counts,
                       FactOrigin extractedOrigin) throws SQLException {
        Instant now = clock.instant();
        int v = 0;
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            CellExtraction ex = results.get(i);
            int updated = s.update("UPDATE cells SET summary = ?, status = 'EXTRACTED' WHERE id = ? AND status = 'PENDING'",
                    ex.summary() == null ? "" : ex.summary(), cell.id());
            if (updated == 0) {
                v += ex.facts().size(); // forgotten meanwhile
                continue;
            }
            for (Turn t : cell.turns()) {
                if (t.role() == Role.USER) {
                    EntityStore.markUser(s, t.speaker());
                }
            }
            router.routeCell(s, cell.id());
            if (ex.fallback()) {
                counts[2]++;
            }
            FactOrigin origin = ex.fallback() ? FactOrigin.TURN : extractedOrigin;
            for (ExtractedFact f : ex.facts()) {
                float[] vec = vectors == null ? null : vectors.get(v);
                v++;
                storeFact(s, cell, f, origin, vec, now, counts);
            }
        }
    }

    private void storeFact(Sql s, Cell cell, ExtractedFact f, FactOrigin origin, float[] vec, Instant now,
                           int[] counts) throws SQLException {
        Instant ts = cell.start();
        if (f.sourceMessageId() != null) {
            for (Turn t : cell.turns()) {
                if (t.messageId() == f.sourceMessageId()) {
                    ts = t.at();
                }
            }
        }
        OptionalLong dup = dedup.find(s, f.text(), vec);
        if (dup.isPresent()) {
            FactStore.addSource(s, dup.getAsLong(), cell.conversationId(), cell.id(), f.sourceMessageId());
            EntityStore.linkNames(s, dup.getAsLong(), f.entities(), f.participants());
            router.routeFact(s, dup.getAsLong()); // a new entity link or a new session may qualify an entity tree
            counts[1]++;
            return;
        }
        NewFact nf = new NewFact(f.text(), f.role(), ts, f.validFrom(), f.validTo(), f.participants(), f.entities(),
                f.topics(), f.sourceMessageId());
        long id = FactStore.insert(s, nf, origin, now);
        FactStore.addSource(s, id, cell.conversationId(), cell.id(), f.sourceMessageId());
        if (vec != null) {
            s.update("INSERT INTO fact_vectors(fact_id, vec) VALUES (?, ?)", id, Vectors.toBytes(vec));
        }
        router.routeFact(s, id);
        counts[0]++;
    }
}
