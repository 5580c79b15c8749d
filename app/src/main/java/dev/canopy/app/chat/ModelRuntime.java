package dev.canopy.app.chat;

import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The loaded model and its chat session. Loading another file, or the same file with other options,
 * closes the previous one first. Use from one thread at a time (the chat's background thread).
 */
public final class ModelRuntime implements AutoCloseable {
    private InferenceModel model;
    private GenerationSession session;
    private Path file;
    private EngineOptions options;

    /** Whether {@code file} with {@code options} is what is loaded. */
    public synchronized boolean isLoaded(Path f, EngineOptions o) {
        return model != null && f.equals(file) && o.equals(options);
    }

    /** Loads {@code f} unless it is already loaded with the same options. */
    public synchronized InferenceModel load(Path f, EngineOptions o) {
        if (isLoaded(f, o)) return model;
        unload();
        InferenceModel m = Engines.load(f, o);
        try {
            session = m.openSession();
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        model = m;
        file = f;
        options = o;
        return m;
    }

    public synchronized Optional<InferenceModel> model() {
        return Optional.ofNullable(model);
    }

    public synchronized GenerationSession session() {
        if (session == null) throw new IllegalStateException("no model loaded");
        return session;
    }

    public synchronized void unload() {
        if (session != null) session.close();
        if (model != null) model.close();
        session = null;
        model = null;
        file = null;
        options = null;
    }

    @Override
    public void close() {
        unload();
    }
}
