package dev.canopy.app.api;

import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;

import java.util.function.Consumer;
import java.util.function.Function;

/** The model the API answers with: the one the desktop or {@code canopy serve} loaded. */
public interface ModelAccess {
    /** Runs {@code work} on the loaded model (loading it first when needed), which stays loaded until it returns. */
    <T> T withModel(Function<InferenceModel, T> work);

    /**
     * A session of the API's own for slot {@code key} (its KV kept in the KV tiers when they are
     * configured). Called inside {@link #withModel}; the caller closes it, at the latest when
     * {@link #onUnload} tells it the model goes.
     */
    GenerationSession openSession(String key);

    /** Runs {@code beforeClose} before a model's memory is freed. */
    void onUnload(Consumer<InferenceModel> beforeClose);

    void removeOnUnload(Consumer<InferenceModel> beforeClose);
}
