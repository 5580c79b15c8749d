package dev.canopy.app.api;

import dev.canopy.kv.KvKey;
import dev.canopy.engine.BatchStats;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.PooledSequence;
import dev.canopy.engine.SequencePool;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The API's answer slots: {@code parallel} sessions, each with its own KV (and, with KV tiers, its
 * own saved KV, {@code KvKey.apiSlot(N)}), and a bounded FIFO of requests waiting for one.
 *
 * <p>A request goes to the free slot whose KV shares the longest prefix with its prompt (ties: the
 * least recently used), so a prompt that extends an earlier one prefills only its new tokens.
 *
 * <p>Where the model gives a {@link SequencePool} (decision 0140), the slots are the pool's: the
 * answers decode together, one token of each per forward pass, each with its own sampler, stop
 * strings and cancellation. With KV tiers (or a model that cannot batch) each slot is a session of
 * its own and the answers take turns on the cores: one forward pass (a prefill chunk or a token) at a
 * time under a fair lock, handed over between passes (decision 0085). Either way text is handed to
 * the client outside any lock, so a slow reader holds up only its own answer.
 */
final class Slots implements AutoCloseable {
    private static final class Slot {
        final int index;
        GenerationSession session;  // owned, opened on first use
        InferenceModel model;       // borrowed: the model the session belongs to
        int[] history = new int[0]; // tokens the session's KV holds, as far as we know
        long lastUsed;
        CancellationToken running;  // the answer in this slot, or null when free

        Slot(int index) { this.index = index; }
    }

    private final ModelAccess access;            // borrowed
    private final Slot[] slots;
    private final int queueLimit;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private final ReentrantLock compute = new ReentrantLock(true);   // turn-taking: one forward pass at a time
    private final ReentrantLock stepping = new ReentrantLock();      // batched: join, step and close of the pool
    private final Object stepDone = new Object();
    private long stepCount;                                          // guarded by stepDone
    private Optional<SequencePool> pool = Optional.empty();          // owned, guarded by stepping
    private InferenceModel poolModel;                                // borrowed: the model the pool belongs to
    private BatchStats closedStats = BatchStats.NONE;
    private final Consumer<InferenceModel> unloadHook = this::closeSessionsOf;
    private long clock;
    private boolean closed;

    Slots(ModelAccess access, int parallel, int queueLimit) {
        this.access = access;
        this.slots = new Slot[parallel];
        for (int i = 0; i < parallel; i++) slots[i] = new Slot(i);
        this.queueLimit = queueLimit;
        access.onUnload(unloadHook);
    }

    /** The lock a forward pass holds (fair, handed over between passes): other compute, such as embeddings, takes turns with it. */
    java.util.concurrent.locks.Lock turnLock() { return compute; }

    /** Answers running plus requests waiting. */
    synchronized int active() {
        int busy = 0;
        for (Slot s : slots) if (s.running != null) busy++;
        return busy + waiting.size();
    }

    /**
     * Runs {@code request} (whose prompt is {@code promptTokens}) in a slot of {@code model}, waiting
     * in the queue for one. Throws 503 when the queue is full, 400 naming {@code promptParam} when
     * the prompt does not fit the context. {@code onSlot} runs once the slot is taken and the prompt fits.
     */
    GenerationResult generate(InferenceModel model, int[] promptTokens, String promptParam, GenerationRequest request,
                              Runnable onSlot, GenerationListener listener) {
        Slot slot = acquire(promptTokens, request.cancel());
        boolean ok = false;
        try {
            Optional<SequencePool> pool = pool(model);
            GenerationSession session = pool.isPresent() ? null : session(slot, model);
            int context = pool.isPresent() ? pool.get().slotTokens() : session.contextTokens();
            if (promptTokens.length >= context) {
                throw ApiException.invalid(promptParam, "the prompt has " + promptTokens.length
                        + " tokens but the context window is " + context + " tokens");
            }
            onSlot.run();
            GenerationResult r = pool.isPresent() ? batched(pool.get(), slot, request, listener) : takingTurns(session, request, listener);
            int[] held = Arrays.copyOf(promptTokens, promptTokens.length + r.tokens().length);
            System.arraycopy(r.tokens(), 0, held, promptTokens.length, r.tokens().length);
            slot.history = held;
            ok = true;
            return r;
        } finally {
            if (!ok) slot.history = new int[0];
            release(slot);
        }
    }

    /** One pool step under the compute lock too, so other compute (embeddings) never runs on the cores at once. */
    private void stepTakingTurns(SequencePool pool) {
        compute.lock();
        try {
            pool.step();
        } finally {
            compute.unlock();
        }
    }

    /** The turn-taking path (KV tiers, or a model that cannot batch): one forward pass at a time under the fair lock. */
    private GenerationResult takingTurns(GenerationSession session, GenerationRequest request, GenerationListener listener) {
        compute.lock();
        try {
            return session.generate(request, new TakingTurns(listener));
        } finally {
            if (compute.isHeldByCurrentThread()) compute.unlock();
        }
    }

    /**
     * The batched path: the answer joins the pool in its slot, and whichever waiting answer's thread
     * finds the pool free runs its next step (every live answer's token in one forward pass). The
     * step hands text to a queue; each answer's own thread writes its text to its client outside
     * the pool's lock, so a slow reader holds up only its own answer. An answer that leaves early
     * (its client failed) is cancelled, and the next step removes it.
     */
    private GenerationResult batched(SequencePool pool, Slot slot, GenerationRequest request, GenerationListener client) {
        ConcurrentLinkedQueue<String> texts = new ConcurrentLinkedQueue<>();
        PooledSequence seq;
        stepping.lock();
        try {
            seq = pool.join(slot.index, request, new GenerationListener() {
                @Override public void onText(String delta) { texts.add(delta); }
            });
        } finally {
            stepping.unlock();
        }
        signalStep();
        try {
            while (true) {
                long seen = steps();
                for (String t; (t = texts.poll()) != null; ) client.onText(t);
                if (seq.finished()) {
                    for (String t; (t = texts.poll()) != null; ) client.onText(t);
                    return seq.result();
                }
                if (stepping.tryLock()) {
                    try {
                        if (!seq.finished()) stepTakingTurns(pool);
                    } finally {
                        stepping.unlock();
                    }
                    signalStep();
                } else {
                    awaitStep(seen);
                }
            }
        } finally {
            if (!seq.finished()) {             // the client failed: the next step removes the answer
                request.cancel().cancel();
                stepping.lock();
                try {
                    if (!seq.finished()) stepTakingTurns(pool);
                } finally {
                    stepping.unlock();
                }
                signalStep();
            }
        }
    }

    private long steps() {
        synchronized (stepDone) {
            return stepCount;
        }
    }

    private void signalStep() {
        synchronized (stepDone) {
            stepCount++;
            stepDone.notifyAll();
        }
    }

    /** Waits until a step (or a join) ends after {@code seen}; a short timeout guards against a missed signal. */
    private void awaitStep(long seen) {
        synchronized (stepDone) {
            try {
                if (stepCount == seen) stepDone.wait(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw shuttingDown();
            }
        }
    }

    /** The pool of {@code model}, opened on first use; empty when the slots take turns. */
    private Optional<SequencePool> pool(InferenceModel model) {
        stepping.lock();
        try {
            if (poolModel != model) {
                closePool();
                pool = access.openPool(model, slots.length);
                poolModel = model;
            }
            return pool;
        } finally {
            stepping.unlock();
        }
    }

    /** Batch steps run so far, by every pool this server opened. */
    BatchStats batchStats() {
        stepping.lock();
        try {
            return pool.map(p -> closedStats.plus(p.stats())).orElse(closedStats);
        } finally {
            stepping.unlock();
        }
    }

    private void closePool() {
        if (pool.isPresent()) {
            closedStats = closedStats.plus(pool.get().stats());
            pool.get().close();
        }
        pool = Optional.empty();
        poolModel = null;
    }

    /** Hands the cores to the next slot between forward passes, and calls the client without holding them. */
    private final class TakingTurns implements GenerationListener {
        private final GenerationListener client;

        TakingTurns(GenerationListener client) { this.client = client; }

        @Override
        public void onPrefillProgress(int done, int total) {
            compute.unlock();
            try {
                client.onPrefillProgress(done, total);
            } finally {
                compute.lock();
            }
        }

        @Override
        public void onText(String delta) {
            compute.unlock();
            try {
                client.onText(delta);
            } finally {
                compute.lock();
            }
        }
    }

    private synchronized Slot acquire(int[] prompt, CancellationToken cancel) {
        if (closed) throw shuttingDown();
        Optional<Slot> free = waiting.isEmpty() ? best(prompt) : Optional.empty();
        if (free.isEmpty() && waiting.size() >= queueLimit) {
            throw new ApiException(503, "overloaded", Optional.empty(), "all " + slots.length
                    + " answer slots are busy and " + waiting.size() + " requests wait already; try again shortly");
        }
        Object ticket = new Object();
        if (free.isEmpty()) waiting.add(ticket);
        try {
            while (free.isEmpty()) {
                wait();
                if (closed) throw shuttingDown();
                if (waiting.peek() == ticket) free = best(prompt);
            }
            Slot s = free.get();
            s.running = cancel;
            s.lastUsed = ++clock;
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw shuttingDown();
        } finally {
            waiting.remove(ticket);
            notifyAll();
        }
    }

    private Optional<Slot> best(int[] prompt) {
        Slot best = null;
        int bestShared = -1;
        for (Slot s : slots) {
            if (s.running != null) continue;
            int shared = commonPrefix(s.history, prompt);
            if (shared > bestShared || (shared == bestShared && s.lastUsed < best.lastUsed)) {
                best = s;
                bestShared = shared;
            }
        }
        return Optional.ofNullable(best);
    }

    private synchronized void release(Slot s) {
        s.running = null;
        notifyAll();
    }

    private GenerationSession session(Slot s, InferenceModel model) {
        if (s.session != null && s.model == model) return s.session;
        if (s.session != null) s.session.close();
        s.session = null;
        s.history = new int[0];
        s.session = access.openSession(KvKey.apiSlot(s.index));
        s.model = model;
        return s.session;
    }

    /** The model goes: its sessions are closed (saving their KV when it is tiered). No slot runs now. */
    private synchronized void closeSessionsOf(InferenceModel model) {
        stepping.lock();
        try {
            if (poolModel == model) closePool();
        } finally {
            stepping.unlock();
        }
        for (Slot s : slots) {
            if (s.session != null && s.model == model) {
                s.session.close();
                s.session = null;
                s.model = null;
                s.history = new int[0];
            }
        }
    }

    /** Cancels the running answers (they end at their next token) and turns new requests away. */
    synchronized void cancelAll() {
        closed = true;
        for (Slot s : slots) if (s.running != null) s.running.cancel();
        notifyAll();
    }

    /** Waits up to {@code millis} for the running answers to end; true when none runs. */
    synchronized boolean awaitIdle(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (Arrays.stream(slots).anyMatch(s -> s.running != null)) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    /** Closes the sessions (saving tiered KV); call after {@link #cancelAll} and {@link #awaitIdle}, while the model is loaded. */
    @Override
    public synchronized void close() {
        closed = true;
        access.removeOnUnload(unloadHook);
        stepping.lock();
        try {
            if (Arrays.stream(slots).noneMatch(s -> s.running != null)) closePool();
        } finally {
            stepping.unlock();
        }
        for (Slot s : slots) {
            if (s.session != null && s.running == null) s.session.close();
            s.session = null;
            s.model = null;
        }
        notifyAll();
    }

    private static ApiException shuttingDown() {
        return new ApiException(503, "unavailable", Optional.empty(), "the server is shutting down");
    }

    static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length), i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }
}
