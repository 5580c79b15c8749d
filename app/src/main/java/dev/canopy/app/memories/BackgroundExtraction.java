package dev.canopy.app.memories;

import dev.canopy.app.chat.ModelRuntime;
import dev.canopy.engine.GenerationSession;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.db.MemoryStoreException;
import dev.canopy.memory.extract.Cell;
import dev.canopy.memory.extract.CellExtraction;
import dev.canopy.memory.extract.CellExtractor;
import dev.canopy.memory.extract.LlmCellExtractor;
import dev.canopy.memory.extract.TurnsAsLeavesExtractor;
import dev.canopy.memory.fact.FactOrigin;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds memory from finished cells (two turns) on a background thread, so that no chat answer
 * waits for it. With a model loaded, the model extracts each cell (facts and a summary, JSON
 * grammar, several cells as parallel sequences of one batch) in a session of its own, under a
 * {@link ModelRuntime.BackgroundLease}: it starts only while no answer runs, and a new answer,
 * an unload or {@link #close} cancels it at its next chunk or token; the cells of the cancelled
 * batch stay pending and are taken again once the answer is done. A batch the model fails on is
 * logged and kept as turns (turns-as-leaves), so nothing said is lost. Without a model the turns
 * become the leaves, as before; so do the cells still waiting when the job is closed.
 */
public final class BackgroundExtraction implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BackgroundExtraction.class.getName());

    /**
     * What the job has done so far.
     *
     * @param cellsByModel cells the model answered for (the unparsable ones among them kept their turns)
     * @param cellsAsTurns cells kept as turns without the model (none loaded, or it failed)
     * @param gaveWay      times a running extraction stopped for an answer or an unload
     */
    public record Stats(int cellsByModel, int cellsUnparsable, int cellsAsTurns, int modelFailures, int gaveWay) {}

    private final MemoryStore store;     // borrowed
    private final ModelRuntime runtime;  // borrowed
    private final int batchSize;
    private final int maxTokens;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "canopy-memory-extraction");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicInteger byModel = new AtomicInteger();
    private final AtomicInteger unparsable = new AtomicInteger();
    private final AtomicInteger asTurns = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger gaveWay = new AtomicInteger();
    private volatile Optional<ModelRuntime.BackgroundLease> current = Optional.empty();
    private volatile boolean closed;

    /**
     * @param batchSize cells decoded together as parallel sequences
     * @param maxTokens answer tokens per cell at most
     */
    public BackgroundExtraction(MemoryStore store, ModelRuntime runtime, int batchSize, int maxTokens) {
        if (batchSize < 1 || maxTokens < 1) throw new IllegalArgumentException("batchSize and maxTokens must be >= 1");
        this.store = store;
        this.runtime = runtime;
        this.batchSize = batchSize;
        this.maxTokens = maxTokens;
    }

    /**
     * Asks for the new finished cells to be extracted. With a model loaded it returns at once (the
     * job runs in the background; requests made meanwhile merge); without one the turns become the
     * leaves right here, as they always did.
     */
    public void request() {
        if (closed) return;
        if (runtime.model().isEmpty()) {
            store.remember(new Counting(new TurnsAsLeavesExtractor(), false));
            return;
        }
        if (!queued.compareAndSet(false, true)) return;
        worker.execute(() -> {
            queued.set(false);
            run();
        });
    }

    /** Waits until every request made so far is done; false when {@code seconds} passed first. */
    public boolean awaitIdle(long seconds) throws InterruptedException {
        var done = new CountDownLatch(1);
        try {
            worker.execute(done::countDown);
        } catch (RejectedExecutionException e) {
            return worker.awaitTermination(seconds, TimeUnit.SECONDS);
        }
        return done.await(seconds, TimeUnit.SECONDS);
    }

    /** Whether an extraction holds the model right now. */
    public boolean running() {
        return current.isPresent();
    }

    public Stats stats() {
        return new Stats(byModel.get(), unparsable.get(), asTurns.get(), failures.get(), gaveWay.get());
    }

    private void run() {
        try {
            while (!closed) {
                Optional<ModelRuntime.BackgroundLease> lease = runtime.backgroundLease();
                if (lease.isEmpty()) {
                    if (runtime.model().isEmpty()) {
                        store.remember(new Counting(new TurnsAsLeavesExtractor(), false)); // no model: turns are leaves
                        return;
                    }
                    runtime.awaitBackgroundChance(1_000); // an answer (or unload) is running: start after it
                    continue;
                }
                if (withModel(lease.get())) return;
                gaveWay.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Memory extraction failed; the finished turns stay pending for the next run", e);
        }
    }

    /** One extraction run on the model; false when it gave way to an answer or an unload. */
    private boolean withModel(ModelRuntime.BackgroundLease lease) {
        current = Optional.of(lease);
        try (lease; GenerationSession session = lease.model().openSession()) {
            if (closed) return true;
            var generator = new EngineTextGenerator(lease.model(), session, lease.cancel());
            store.remember(new Counting(new LlmCellExtractor(generator, batchSize, maxTokens), true));
            return true;
        } catch (CancellationException e) {
            return closed; // closing: the pending cells wait for the next start
        } catch (MemoryStoreException e) {
            throw e;
        } catch (RuntimeException e) { // e.g. no memory for another session: the turns become the leaves
            failures.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "The model could not extract memories; keeping the turns", e);
            store.remember(new Counting(new TurnsAsLeavesExtractor(), false));
            return true;
        } finally {
            current = Optional.empty();
        }
    }

    /**
     * Counts what an extractor did. Over the model, a batch it fails on is logged and kept as turns
     * (marked as a fallback) instead of ending the run; a cancellation passes through.
     */
    private final class Counting implements CellExtractor {
        private final CellExtractor inner;
        private final boolean model;

        Counting(CellExtractor inner, boolean model) {
            this.inner = inner;
            this.model = model;
        }

        @Override
        public List<CellExtraction> extract(List<Cell> cells) {
            if (!model) {
                List<CellExtraction> out = inner.extract(cells);
                asTurns.addAndGet(cells.size());
                return out;
            }
            try {
                List<CellExtraction> out = inner.extract(cells);
                byModel.addAndGet(cells.size());
                unparsable.addAndGet((int) out.stream().filter(CellExtraction::fallback).count());
                return out;
            } catch (CancellationException e) {
                throw e;
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                asTurns.addAndGet(cells.size());
                LOG.log(System.Logger.Level.WARNING, "The model could not extract " + cells.size() + " memory cells; keeping their turns", e);
                return new TurnsAsLeavesExtractor().extract(cells).stream()
                        .map(x -> new CellExtraction(x.cellId(), x.summary(), x.facts(), true)).toList();
            }
        }

        @Override
        public FactOrigin origin() {
            return inner.origin();
        }

        @Override
        public int batchSize() {
            return inner.batchSize();
        }
    }

    /**
     * Stops the job: a running extraction is cancelled, and the cells still waiting are kept as
     * turns (quick, no model), so what was said before closing is remembered after a restart.
     */
    @Override
    public void close() {
        closed = true;
        current.ifPresent(l -> l.cancel().cancel());
        worker.shutdown();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) worker.shutdownNow();
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            store.remember(new Counting(new TurnsAsLeavesExtractor(), false));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not keep the last turns as memories; they stay pending for the next start", e);
        }
    }
}
