package dev.canopy.app.api;

import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.SequencePool;
import dev.canopy.kv.KvKey;

import java.util.Optional;
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
    GenerationSession openSession(KvKey key);

    /**
     * A pool of {@code slots} sequences of {@code model} that decode together (decision 0140), or
     * empty where the slots take turns instead: the KV lives in the KV tiers, or the model's settings
     * cannot batch. Called inside {@link #withModel}; the caller closes it when {@link #onUnload}
     * tells it the model goes.
     */
    default Optional<SequencePool> openPool(InferenceModel model, int slots) {
        return Optional.empty();
    }

    /** Runs {@code beforeClose} before a model's memory is freed. */
    void onUnload(Consumer<InferenceModel> beforeClose);

    void removeOnUnload(Consumer<InferenceModel> beforeClose);
}
