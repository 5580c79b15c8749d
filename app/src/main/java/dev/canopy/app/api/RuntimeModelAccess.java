package dev.canopy.app.api;

import dev.canopy.app.chat.ChatSession;
import dev.canopy.app.chat.KvTiers;
import dev.canopy.app.chat.ModelRuntime;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.SequencePool;
import dev.canopy.kv.KvKey;
import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.natives.rpc.WorkerLostException;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The API on a {@link ModelRuntime}: requests hold a foreground lease (memory extraction gives way
 * as it does to a chat answer), and slot sessions are the runtime's own sessions with the KV tiers
 * {@code tiers} supplies.
 */
public final class RuntimeModelAccess implements ModelAccess {
    private static final System.Logger LOG = System.getLogger(RuntimeModelAccess.class.getName());

    private final ModelRuntime runtime;         // borrowed
    private final Runnable ensureLoaded;
    private final Supplier<Optional<KvTiers>> tiers;

    /**
     * @param ensureLoaded loads the model when none is (the desktop's active model), or does nothing
     * @param tiers        where slots keep their KV, or empty for memory only
     */
    public RuntimeModelAccess(ModelRuntime runtime, Runnable ensureLoaded, Supplier<Optional<KvTiers>> tiers) {
        this.runtime = runtime;
        this.ensureLoaded = ensureLoaded;
        this.tiers = tiers;
    }

    /**
     * The API of {@code canopy serve}: {@code file} with {@code options}, loaded again when it was
     * unloaded (a worker lost mid-answer: the next request runs on what is left, decision 0185).
     */
    public static RuntimeModelAccess serving(ModelRuntime runtime, Path file, EngineOptions options,
                                             Supplier<Optional<KvTiers>> tiers) {
        Runnable ensureLoaded = () -> {
            if (runtime.isLoaded(file, options)) return;
            List<RpcEndpoint> lost = runtime.lostWorkers(options);
            String without = lost.stream().map(w -> "worker " + w).collect(Collectors.joining(", "));
            try {
                runtime.load(file, options);
            } catch (RuntimeException e) {
                if (lost.isEmpty()) throw e;
                throw new ApiException(503, "unavailable", Optional.empty(), "the model cannot run without " + without
                        + ", lost during an earlier answer: " + e.getMessage() + "; restart the server once it is back");
            }
            if (!lost.isEmpty()) LOG.log(Level.WARNING, "the model runs without " + without + ", lost during an earlier answer; restart the server to use it again");
        };
        return new RuntimeModelAccess(runtime, ensureLoaded, tiers);
    }

    /**
     * Runs {@code work} on the model. A worker lost mid-answer unloads the model (its layers there are
     * gone) before the error goes on to the client, so the next request loads it without that worker.
     */
    @Override
    public <T> T withModel(Function<InferenceModel, T> work) {
        try {
            ensureLoaded.run();
        } catch (dev.canopy.app.errors.UserFacingException e) {   // no model chosen, file missing
            throw new ApiException(503, "unavailable", Optional.empty(), e.getMessage());
        }
        try {
            return runtime.withModelInForeground(work).orElseThrow(() -> new ApiException(503, "unavailable",
                    Optional.empty(), "no model is loaded"));
        } catch (WorkerLostException e) {
            runtime.workerLost(e.worker());   // the lease is back
            throw e;
        }
    }

    @Override
    public GenerationSession openSession(KvKey key) {
        ChatSession s = runtime.openOwnSession(key, tiers.get());
        s.notice().ifPresent(n -> LOG.log(Level.WARNING, "API slot " + key + ": " + n));
        return s.session();
    }

    /** The model's pool, unless the slots keep their KV in the tiers (saved across restarts): those take turns. */
    @Override
    public Optional<SequencePool> openPool(InferenceModel model, int slots) {
        return tiers.get().isPresent() ? Optional.empty() : model.sequencePool(slots);
    }

    @Override public void onUnload(Consumer<InferenceModel> beforeClose) { runtime.onUnload(beforeClose); }
    @Override public void removeOnUnload(Consumer<InferenceModel> beforeClose) { runtime.removeOnUnload(beforeClose); }
}
