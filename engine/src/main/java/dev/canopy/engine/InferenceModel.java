package dev.canopy.engine;

import dev.canopy.natives.llama.ChatMessage;

import java.util.List;
import java.util.Optional;

/** A loaded model, ready to open generation sessions. Owns the weights; close to free them. */
public interface InferenceModel extends AutoCloseable {
    ModelInfo info();

    /** The engine actually running this model. */
    EngineKind engine();

    /**
     * Where it runs, for people: "CPU", or the GPU and its share, e.g.
     * "GPU NVIDIA GeForce RTX 4070 (Vulkan0): every layer and the output on the GPU".
     */
    default String runsOn() {
        return "CPU";
    }

    /** Why the preferred engine is not the one running it, when that happened. */
    Optional<String> notice();

    Tokenizer tokenizer();

    /** Formats a chat with the model's own template (ChatML when it has none). */
    String formatChat(List<ChatMessage> messages, boolean addAssistantTurn);

    /** A new session with its own KV cache of {@code options.contextTokens()} tokens. */
    GenerationSession openSession();

    /** The context window (KV cells) of a session from {@link #openSession()}. */
    int contextTokens();

    /** This model as a draft for speculative decoding (Canopy's engine only), or empty. */
    default Optional<dev.canopy.engine.speculative.DraftSource> draftSource() {
        return Optional.empty();
    }

    /**
     * A pool of {@code slots} sequences that decode together, one token of each per forward pass
     * (decision 0140), each slot holding {@link #contextTokens()} tokens; empty where this model's
     * settings cannot batch (sparse attention selects over a single sequence's cells).
     */
    default Optional<SequencePool> sequencePool(int slots) {
        return Optional.empty();
    }

    /** Sessions over the tiered KV store, when this model's engine has one (Canopy's engine does, llama.cpp's does not). */
    default Optional<TieredKv> tieredKv() {
        return Optional.empty();
    }

    /**
     * Text embeddings with this model (OpenAI's /v1/embeddings), when its engine has a pooling path:
     * both engines embed through libllama (decision 0165); a reranker has none.
     */
    default Optional<dev.canopy.engine.embed.Embeddings> embeddings() {
        return Optional.empty();
    }

    @Override
    void close();
}
