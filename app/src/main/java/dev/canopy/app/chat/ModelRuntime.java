package dev.canopy.app.chat;

import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.llama.LlamaInferenceModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The loaded model and the chat session open on it. Loading another file, or the same file with
 * other options, closes the previous one first. Without KV tiers all conversations share one session
 * (it keeps the KV of the longest common prefix); with them each conversation gets its own tiered
 * session, and moving to another conversation closes the previous one, which saves its KV.
 *
 * <p>Native memory is freed only when nobody uses it: work on the model or a session holds a
 * {@link Lease} (or runs inside {@link #withModel}), and unloading or closing a session first waits
 * until every lease is returned. A thread must not load, unload or switch sessions while it holds
 * a lease (it would wait for itself).
 */
public final class ModelRuntime implements AutoCloseable {
    private static final String SHARED = "";

    private InferenceModel model;
    private Path file;
    private EngineOptions options;
    private GenerationSession session;
    private SessionKey sessionKey;
    private Optional<String> sessionNotice = Optional.empty();
    private int users;                  // leases out: native work in progress on model or session

    /** The model and the chat session one answer uses; closing it lets unloading proceed. */
    public final class Lease implements AutoCloseable {
        private final InferenceModel leased;
        private final ChatSession chat;
        private boolean closed;

        private Lease(InferenceModel leased, ChatSession chat) {
            this.leased = leased;
            this.chat = chat;
        }

        public InferenceModel model() { return leased; }
        public ChatSession chat() { return chat; }

        @Override
        public void close() {
            synchronized (ModelRuntime.this) {
                if (closed) return;
                closed = true;
                release();
            }
        }
    }

    /** Which session is open: the shared one (no conversation, no tiers) or a conversation's tiered one. */
    private record SessionKey(String conversationId, KvTiers tiers) {}

    /** Whether {@code file} with {@code options} is what is loaded. */
    public synchronized boolean isLoaded(Path f, EngineOptions o) {
        return model != null && f.equals(file) && o.equals(options);
    }

    /** Loads {@code f} unless it is already loaded with the same options. */
    public synchronized InferenceModel load(Path f, EngineOptions o) {
        if (isLoaded(f, o)) return model;
        unload();
        model = Engines.load(f, o);
        file = f;
        options = o;
        return model;
    }

    public synchronized Optional<InferenceModel> model() {
        return Optional.ofNullable(model);
    }

    /** The context window of the loaded model's sessions. */
    public synchronized int contextTokens() {
        if (model == null) throw new IllegalStateException("no model loaded");
        if (session != null) return session.contextTokens();
        if (model instanceof CanopyInferenceModel c) return c.defaultSettings().contextTokens();
        return LlamaInferenceModel.contextTokens(model.info(), options);
    }

    /**
     * The session {@code conversationId} answers in. With {@code tiers} and Canopy's engine it is the
     * conversation's own session over the tiered KV (reopening what an earlier one saved); when the
     * tiers cannot be used the answer runs over the dense KV and {@link ChatSession#notice} says why.
     * Models on llama.cpp ignore the tiers (the model's own notice says so).
     */
    public synchronized Lease lease(String conversationId, Optional<KvTiers> tiers) {
        ChatSession chat = chatSession(conversationId, tiers);
        users++;
        return new Lease(model, chat);
    }

    /**
     * Runs {@code work} on the loaded model (none: empty) while holding a lease, so that no other
     * thread frees the model under it.
     */
    public <T> Optional<T> withModel(java.util.function.Function<InferenceModel, T> work) {
        InferenceModel m;
        synchronized (this) {
            if (model == null) return Optional.empty();
            m = model;
            users++;
        }
        try {
            return Optional.ofNullable(work.apply(m));
        } finally {
            synchronized (this) {
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

    synchronized ChatSession chatSession(String conversationId, Optional<KvTiers> tiers) {
        if (model == null) throw new IllegalStateException("no model loaded");
        boolean tiered = tiers.isPresent() && model instanceof CanopyInferenceModel;
        SessionKey key = tiered ? new SessionKey(conversationId, tiers.get()) : new SessionKey(SHARED, null);
        if (session != null && key.equals(sessionKey)) return new ChatSession(session, sessionNotice);
        closeSession();
        Optional<String> notice = Optional.empty();
        GenerationSession opened = null;
        if (tiered) {
            CanopyInferenceModel c = (CanopyInferenceModel) model;
            try {
                Files.createDirectories(tiers.get().folder());
                opened = c.openSession(c.defaultSettings(), tiers.get().offload(conversationId));
            } catch (IllegalArgumentException | IllegalStateException | java.io.IOException | java.io.UncheckedIOException e) {
                notice = Optional.of(tierProblem(e));
            }
        }
        if (opened == null) opened = model.openSession();
        session = opened;
        sessionKey = key;
        sessionNotice = notice;
        return new ChatSession(session, notice);
    }

    /** Closes {@code conversationId}'s own session if it is the open one (before its saved KV is deleted). */
    public synchronized void forget(String conversationId) {
        if (sessionKey != null && conversationId.equals(sessionKey.conversationId())) closeSession();
    }

    private static String tierProblem(Exception e) {
        String why = e.getMessage() == null ? "" : e.getMessage();
        if (why.contains("RAM budget")) {
            return "The KV RAM budget in Settings is too small for this model, so this chat keeps its KV in memory and"
                    + " it is not kept on disk. Raise \"KV in RAM\" in Settings.";
        }
        if (why.contains("open in another store")) {
            return "This conversation's saved KV is in use by another Canopy window, so this answer keeps its KV in memory.";
        }
        return "The conversation's KV could not be kept on disk (" + why + "), so this answer keeps it in memory.";
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
        closeSession();
        if (model != null) {
            awaitIdle();
            model.close();
        }
        model = null;
        file = null;
        options = null;
    }

    @Override
    public void close() {
        unload();
    }
}
