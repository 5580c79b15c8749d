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
 * Use from one thread at a time (the chat's background thread).
 */
public final class ModelRuntime implements AutoCloseable {
    private static final String SHARED = "";

    private InferenceModel model;
    private Path file;
    private EngineOptions options;
    private GenerationSession session;
    private SessionKey sessionKey;
    private Optional<String> sessionNotice = Optional.empty();

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
    public synchronized ChatSession chatSession(String conversationId, Optional<KvTiers> tiers) {
        if (model == null) throw new IllegalStateException("no model loaded");
        boolean tiered = tiers.isPresent() && model instanceof CanopyInferenceModel;
        SessionKey key = tiered ? new SessionKey(conversationId, tiers.get()) : new SessionKey(SHARED, null);
        if (session != null && key.equals(sessionKey)) return new ChatSession(session, sessionNotice);
        closeSession();
        Optional<String> notice = Optional.empty();
        GenerationSession opened = null;
        if (tiered) {
            CanopyInferenceModel c = (CanopyInferenceModel) model;
            if (c.defaultSettings().attention().mode().isSparse()) {
                notice = Optional.of("Long-context acceleration (DHSA) does not run over KV tiers yet, so this chat keeps its KV"
                        + " in memory and it is not kept on disk. In Settings, choose dense attention or turn off"
                        + " \"Keep the conversation's KV on disk\".");
            } else {
                try {
                    Files.createDirectories(tiers.get().folder());
                    opened = c.openSession(c.defaultSettings(), tiers.get().offload(conversationId));
                } catch (IllegalArgumentException | IllegalStateException | java.io.IOException | java.io.UncheckedIOException e) {
                    notice = Optional.of(tierProblem(e));
                }
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
        if (session != null) session.close();
        session = null;
        sessionKey = null;
        sessionNotice = Optional.empty();
    }

    public synchronized void unload() {
        closeSession();
        if (model != null) model.close();
        model = null;
        file = null;
        options = null;
    }

    @Override
    public void close() {
        unload();
    }
}
