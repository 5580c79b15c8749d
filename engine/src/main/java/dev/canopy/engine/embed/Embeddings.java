package dev.canopy.engine.embed;

/**
 * A model that can embed texts (a capability: {@link dev.canopy.engine.InferenceModel#embeddings()}).
 * Which models can is decision 0165: every model libllama runs, with the pooling its file declares
 * or mean pooling when it declares none; rerankers (rank pooling) cannot.
 */
public interface Embeddings {
    /** The pooling an {@link Embedder} of this model will use. */
    PoolingChoice pooling();

    /** A new embedder with its own context (the caller owns and closes it); may load the model's weights through libllama. */
    Embedder open();
}
