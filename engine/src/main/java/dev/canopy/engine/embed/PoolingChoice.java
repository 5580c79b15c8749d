package dev.canopy.engine.embed;

import dev.canopy.natives.llama.Pooling;

import java.util.Optional;

/**
 * The pooling an embedder uses and where it comes from (decision 0165).
 *
 * @param pooling MEAN, CLS or LAST
 * @param origin  the model's file declared it, or the file declares none and decoders pool by mean
 */
public record PoolingChoice(Pooling pooling, Origin origin) {
    /** Why this pooling. */
    public enum Origin {
        /** The GGUF's {@code <arch>.pooling_type}: an embedding model's own pooling. */
        DECLARED,
        /** No pooling declared (a chat or base model): the mean of the last layer's hidden states. */
        MEAN_BY_DEFAULT
    }

    public PoolingChoice {
        if (!pooling.embedsSequences()) throw new IllegalArgumentException("pooling " + pooling + " gives no embedding");
    }

    /**
     * The choice for a model whose file declares {@code declared}: that pooling when it pools
     * sequences, mean when it declares none (or NONE), and empty for a reranker (RANK).
     */
    public static Optional<PoolingChoice> forDeclared(Optional<Pooling> declared) {
        if (declared.isEmpty() || declared.get() == Pooling.NONE) return Optional.of(new PoolingChoice(Pooling.MEAN, Origin.MEAN_BY_DEFAULT));
        if (!declared.get().embedsSequences()) return Optional.empty();
        return Optional.of(new PoolingChoice(declared.get(), Origin.DECLARED));
    }

    /** For people: "last (declared by the model)" or "mean (the model declares no pooling)". */
    public String describe() {
        String name = pooling.name().toLowerCase(java.util.Locale.ROOT);
        return origin == Origin.DECLARED ? name + " (declared by the model)" : name + " (the model declares no pooling)";
    }
}
