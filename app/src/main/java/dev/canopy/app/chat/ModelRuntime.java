package dev.canopy.app.chat;

import dev.canopy.kv.KvKey;
import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.TieredKv;
import dev.canopy.natives.rpc.RpcEndpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The loaded model and the chat session open on it. Loading another file, or the same file with
 * other options, closes the previous one first. Without KV tiers all conversations share one session
 * (it keeps the KV of the longest common prefix); with them each conversation gets its own tiered
 * session, and moving to another conversation closes the previous one, which saves its KV.
 *
 * <p>Native memory is freed only when nobody uses it: work on the model or a session holds a
 * {@link Lease} (or runs inside {@link #withModel}), and unloading or closing a session first waits
 * until every lease is returned. A thread must not load, unload or switch sessions while it holds
 * a lease (it would wait for itself). Background work (memory extraction) takes a
 * {@link BackgroundLease} only while no chat answer or document work runs, and gives way: a new
 * answer, a document summary ({@link #withModelInForeground}) or an unload cancels it and waits
 * only until it stops at its next chunk or token.
 *
 * <p>A worker (another computer) that was lost mid-answer ({@link #workerLost}) is left out of every
 * later load, until the workers asked for change (decision 0185).
 */
public final class ModelRuntime implements AutoCloseable {
    private InferenceModel model;
    private InferenceModel draft;       // "Faster answers" with a draft model: loaded with the model's options
    private Path draftFile;
    private Path file;
    private EngineOptions options;
    private GenerationSession session;
    private SessionKey sessionKey;
    private Optional<String> sessionNotice = Optional.empty();
    private int users;                  // leases out: native work in progress on model or session
    private int foreground;             // chat answers and document work holding a lease: background work stays away
    private boolean unloading;
    private final Set<BackgroundLease> background = new HashSet<>();
    private final List<Consumer<InferenceModel>> unloadListeners = new CopyOnWriteArrayList<>();
    private final LostWorkers lostWorkers = new LostWorkers();

    /** The model and the chat session one answer uses; closing it lets unloading proceed. */
    public final class Lease implements AutoCloseable {
        private final InferenceModel leased;
        private final ChatSession chat;
        private final Optional<InferenceModel> leasedDraft;
        private boolean closed;

        private Lease(InferenceModel leased, ChatSession chat, Optional<InferenceModel> leasedDraft) {
            this.leased = leased;
            this.chat = chat;
            this.leasedDraft = leasedDraft;
        }

        public InferenceModel model() { return leased; }
        public ChatSession chat() { return chat; }
        /** The draft model loaded by {@link #loadDraft}, if any (freed only after this lease is closed). */
        public Optional<InferenceModel> draft() { return leasedDraft; }

        @Override
        public void close() {
            synchronized (ModelRuntime.this) {
                if (closed) return;
                closed = true;
                foreground--;
                release();
            }
        }
    }

    /**
     * The model for work that gives way (memory extraction in its own session): its token is
     * cancelled as soon as a chat answer asks for a lease or the model is unloaded, and the answer
     * starts once this lease is returned. Close it promptly after the work stops.
     */
    public final class BackgroundLease implements AutoCloseable {
        private final InferenceModel leased;
        private final CancellationToken cancel = new CancellationToken();
        private boolean closed;

        private BackgroundLease(InferenceModel leased) {
            this.leased = leased;
        }

        public InferenceModel model() { return leased; }
        public CancellationToken cancel() { return cancel; }

        @Override
        public void close() {
            synchronized (ModelRuntime.this) {
                if (closed) return;
                closed = true;
                background.remove(this);
                release();
            }
        }
    }

    /** Which session is open: the shared one (no key, no tiers) or a conversation's tiered one. */
    private record SessionKey(KvKey kv, KvTiers tiers) {
        static final SessionKey SHARED = new SessionKey(null, null);
    }

    /** Whether {@code file} with {@code options} (less the lost workers) is what is loaded. */
    public synchronized boolean isLoaded(Path f, EngineOptions o) {
        return model != null && f.equals(file) && lostWorkers.leftOut(o).equals(options);
    }

    /** Loads {@code f} unless it is already loaded with the same options; a lost worker is left out. */
    public synchronized InferenceModel load(Path f, EngineOptions o) {
        if (isLoaded(f, o)) return model;
        unload();
        EngineOptions effective = lostWorkers.leftOut(o);
        model = Engines.load(f, effective);
        file = f;
        options = effective;
        return model;
    }

    /**
     * {@code worker} stopped answering mid-answer: the model that ran on it is unloaded (its layers
     * there are gone), and later loads leave it out until the workers asked for change. Call it
     * without holding a lease.
     */
    public synchronized void workerLost(RpcEndpoint worker) {
        lostWorkers.add(worker, options);
        unload();
    }

    /** The workers {@code o} asks for that were lost (and are left out of its loads). */
    public synchronized List<RpcEndpoint> lostWorkers(EngineOptions o) {
        return lostWorkers.among(o);
    }

    /**
     * Loads the draft model {@code f} for speculative decoding with the loaded model's options (placed like
     * it: the same GPU layers and other computers), unless it is loaded already; empty {@code f} frees a
     * loaded one. Call it after {@link #load}, without holding a lease.
     */
    public synchronized Optional<InferenceModel> loadDraft(Optional<Path> f) {
        if (f.isPresent() && f.get().equals(draftFile) && draft != null) return Optional.of(draft);
        closeDraft();
        if (f.isEmpty() || model == null) return Optional.empty();
        draft = Engines.load(f.get(), options);
        draftFile = f.get();
        return Optional.of(draft);
    }

    private void closeDraft() {
        if (draft == null) return;
        awaitIdle();
        draft.close();
        draft = null;
        draftFile = null;
    }

    public synchronized Optional<InferenceModel> model() {
        return Optional.ofNullable(model);
    }

    /** The context window of the loaded model's sessions. */
    public synchronized int contextTokens() {
        if (model == null) throw new IllegalStateException("no model loaded");
        if (session != null) return session.contextTokens();
        return model.contextTokens();
    }

    /**
     * The session {@code conversationId} answers in. With {@code tiers} and Canopy's engine it is the
     * conversation's own session over the tiered KV (reopening what an earlier one saved); when the
     * tiers cannot be used the answer runs over the dense KV and {@link ChatSession#notice} says why.
     * Models on llama.cpp ignore the tiers (the model's own notice says so).
     */
    public synchronized Lease lease(ConversationId conversationId, Optional<KvTiers> tiers) {
        foreground++; // from here on no background work starts
        boolean leased = false;
        try {
            yieldBackground();
            ChatSession chat = chatSession(KvTiers.key(conversationId), tiers);
            users++;
            leased = true;
            return new Lease(model, chat, Optional.ofNullable(draft));
        } finally {
            if (!leased) {
                foreground--;
                notifyAll();
            }
        }
    }

    /**
     * A lease for background work, or empty when no model is loaded, a chat answer holds one or an
     * unload is under way (try again after {@link #awaitBackgroundChance}).
     */
    public synchronized Optional<BackgroundLease> backgroundLease() {
        if (model == null || foreground > 0 || unloading) return Optional.empty();
        BackgroundLease l = new BackgroundLease(model);
        background.add(l);
        users++;
        return Optional.of(l);
    }

    /**
     * Waits until background work may start (no chat answer holds a lease and no unload is under
     * way), or {@code millis} passed; returns at once when it may.
     */
    public synchronized void awaitBackgroundChance(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        for (long left = millis; (foreground > 0 || unloading) && left > 0; left = (end - System.nanoTime()) / 1_000_000) {
            wait(left);
        }
    }

    /** Cancels background work and waits (holding this monitor between checks) until its leases are back. */
    private void yieldBackground() {
        if (background.isEmpty()) return;
        background.forEach(b -> b.cancel.cancel());
        boolean interrupted = false;
        while (!background.isEmpty()) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * Runs {@code work} like {@link #withModel}, as work the user waits for (a document summary):
     * background work gives way first, as it does to a chat answer, and starts again only after
     * {@code work} ends. Two computations on one model would share the cores and both crawl.
     */
    public <T> Optional<T> withModelInForeground(Function<InferenceModel, T> work) {
        return run(work, true);
    }

    /**
     * Runs {@code work} on the loaded model (none: empty) while holding a lease, so that no other
     * thread frees the model under it.
     */
    public <T> Optional<T> withModel(Function<InferenceModel, T> work) {
        return run(work, false);
    }

    private <T> Optional<T> run(Function<InferenceModel, T> work, boolean inForeground) {
        InferenceModel m;
        synchronized (this) {
            if (model == null) return Optional.empty();
            if (inForeground) {
                foreground++;
                yieldBackground();   // waits: the model may be unloaded meanwhile
                if (model == null) {
                    foreground--;
                    notifyAll();
                    return Optional.empty();
                }
            }
            m = model;
            users++;
        }
        try {
            return Optional.ofNullable(work.apply(m));
        } finally {
            synchronized (this) {
                if (inForeground) foreground--;
                release();
            }
        }
    }

    private void release() {
        users--;
        notifyAll();
    }

    /** Waits (holding this monitor between checks) until no lease is out. */
    private void awaitIdle() {
        boolean interrupted = false;
        while (users > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;   // finish waiting: freeing memory in use would crash the process
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    synchronized ChatSession chatSession(KvKey kv, Optional<KvTiers> tiers) {
        if (model == null) throw new IllegalStateException("no model loaded");
        Optional<TieredKv> tieredKv = tiers.isPresent() ? model.tieredKv() : Optional.empty();
        boolean tiered = tieredKv.isPresent();
        SessionKey key = tiered ? new SessionKey(kv, tiers.get()) : SessionKey.SHARED;
        if (session != null && key.equals(sessionKey)) return new ChatSession(session, sessionNotice);
        closeSession();
        ChatSession opened = open(kv, tiered ? tiers : Optional.empty());
        session = opened.session();
        sessionKey = key;
        sessionNotice = opened.notice();
        return opened;
    }

    /**
     * A session of the caller's own on the loaded model (the local API server's slots), with
     * {@code key}'s KV in {@code tiers} when given (saved when the session is closed, reopened by a
     * later one with the same key). The caller owns it and must close it before the model is
     * unloaded: see {@link #onUnload}. Call it while holding a lease or inside {@link #withModel}.
     */
    public synchronized ChatSession openOwnSession(KvKey key, Optional<KvTiers> tiers) {
        if (model == null) throw new IllegalStateException("no model loaded");
        return open(key, tiers);
    }

    /**
     * Runs {@code beforeClose} with the model being unloaded, once every lease is back and before
     * its memory is freed (owners of {@link #openOwnSession} sessions close them there).
     */
    public void onUnload(Consumer<InferenceModel> beforeClose) {
        unloadListeners.add(beforeClose);
    }

    public void removeOnUnload(Consumer<InferenceModel> beforeClose) {
        unloadListeners.remove(beforeClose);
    }

    private ChatSession open(KvKey kv, Optional<KvTiers> tiers) {
        Optional<TieredKv> tieredKv = tiers.isPresent() ? model.tieredKv() : Optional.empty();
        Optional<String> notice = Optional.empty();
        GenerationSession opened = null;
        if (tieredKv.isPresent()) {
            try {
                Files.createDirectories(tiers.get().folder());
                opened = tieredKv.get().openSession(tiers.get().offload(kv));
            } catch (IllegalArgumentException | IllegalStateException | java.io.IOException | java.io.UncheckedIOException e) {
                notice = Optional.of(KvTiers.problem(e));
            }
        }
        if (opened == null) opened = model.openSession();
        return new ChatSession(opened, notice);
    }

    /** Closes {@code conversationId}'s own session if it is the open one (before its saved KV is deleted). */
    public synchronized void forget(ConversationId conversationId) {
        if (sessionKey != null && KvTiers.key(conversationId).equals(sessionKey.kv())) closeSession();
    }

    private void closeSession() {
        if (session != null) {
            awaitIdle();
            session.close();
        }
        session = null;
        sessionKey = null;
        sessionNotice = Optional.empty();
    }

    public synchronized void unload() {
        unloading = true; // no background work starts while this waits for leases
        try {
            yieldBackground();
            closeSession();
            closeDraft();
            if (model != null) {
                awaitIdle();
                for (Consumer<InferenceModel> l : unloadListeners) l.accept(model);
                model.close();
            }
            model = null;
            file = null;
            options = null;
        } finally {
            unloading = false;
            notifyAll();
        }
    }

    @Override
    public void close() {
        unload();
    }
}
