package dev.canopy.app.api;

import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.embed.Embedder;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Embeddings for {@code /v1/embeddings} (decision 0165): an embedder of the loaded model with its
 * own context (no slot's KV is touched), opened on the first request and closed when the model
 * goes. Requests run one at a time, each input one forward pass taken as a turn under the slots'
 * compute lock, so embeddings and answers never run graphs on the cores at once.
 */
final class EmbeddingService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmbeddingService.class.getName());

    /** What a request gets: one unit vector per input, in order, and the tokens they took. */
    record Result(List<float[]> vectors, int promptTokens) {}

    private final ModelAccess access;     // borrowed
    private final Lock turns;             // borrowed: the slots' compute lock
    private final Supplier<String> modelId;
    private final Semaphore admitted;     // requests running or waiting, at most the queue's size
    private final int queueLimit;
    private final Consumer<InferenceModel> unloadHook = this::closeFor;
    private Embedder embedder;            // owned, null until the first request (and after the model goes)
    private InferenceModel embedderModel; // borrowed: the model the embedder belongs to

    EmbeddingService(ModelAccess access, Lock turns, Supplier<String> modelId, int queueLimit) {
        this.access = access;
        this.turns = turns;
        this.modelId = modelId;
        this.queueLimit = Math.max(1, queueLimit);
        this.admitted = new Semaphore(this.queueLimit, true);
        access.onUnload(unloadHook);
    }

    /** Embeds the request's inputs; 400 naming the field for what the model cannot serve, 503 when too many wait. */
    Result embed(EmbeddingRequest request) {
        if (!admitted.tryAcquire()) {
            throw new ApiException(503, "overloaded", Optional.empty(), queueLimit
                    + " embedding requests are running or waiting already; try again shortly");
        }
        try {
            return access.withModel(model -> {
                synchronized (this) {
                    return embedWith(embedderOf(model), request);
                }
            });
        } finally {
            admitted.release();
        }
    }

    private Result embedWith(Embedder e, EmbeddingRequest request) {
        if (request.dimensions().isPresent() && request.dimensions().getAsInt() != e.dimensions()) {
            throw ApiException.invalid("dimensions", "this model's embeddings have " + e.dimensions()
                    + " dimensions; dimensions " + request.dimensions().getAsInt() + " (shortened vectors) is not supported");
        }
        List<int[]> tokens = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < request.inputs().size(); i++) {
            int[] t = e.tokenize(request.inputs().get(i));
            String param = request.param(i);
            if (t.length == 0) throw ApiException.invalid(param, param + " has no tokens");
            if (t.length > e.maxTokens()) {
                throw ApiException.invalid(param, param + " has " + t.length + " tokens but the embedding context is "
                        + e.maxTokens() + " tokens");
            }
            tokens.add(t);
            total += t.length;
        }
        List<float[]> vectors = new ArrayList<>();
        for (int[] t : tokens) {
            turns.lock();
            try {
                vectors.add(e.embed(t));
            } finally {
                turns.unlock();
            }
        }
        return new Result(vectors, total);
    }

    private synchronized Embedder embedderOf(InferenceModel model) {
        if (embedder != null && embedderModel == model) return embedder;
        closeEmbedder();
        var source = model.embeddings().orElseThrow(() -> ApiException.invalid("model", "the model " + modelId.get()
                + " cannot produce embeddings: its engine has no pooling path, or it is a reranker (rank pooling)"));
        embedder = source.open();
        embedderModel = model;
        LOG.log(Level.INFO, "embeddings: " + embedder.dimensions() + " dimensions, pooling " + embedder.pooling().describe()
                + ", up to " + embedder.maxTokens() + " tokens an input");
        return embedder;
    }

    /** The model goes (no request runs now): its embedder's context is freed before its weights. */
    private synchronized void closeFor(InferenceModel model) {
        if (embedderModel == model) closeEmbedder();
    }

    private void closeEmbedder() {
        if (embedder != null) embedder.close();
        embedder = null;
        embedderModel = null;
    }

    /** Frees the embedder; call while the model is loaded, after requests have ended. */
    @Override
    public synchronized void close() {
        access.removeOnUnload(unloadHook);
        closeEmbedder();
    }
}
