package dev.canopy.engine;

import java.util.List;

/**
 * A conversation's KV cache. Each request carries the whole prompt; the session keeps the KV of the
 * longest prefix it already holds and computes only the rest, so a follow-up message costs only its
 * own tokens. Not thread-safe: one generation at a time.
 */
public interface GenerationSession extends AutoCloseable {

    /** Generates for {@code request}, streaming through {@code listener}. */
    GenerationResult generate(GenerationRequest request, GenerationListener listener);

    /**
     * Generates for several independent prompts as parallel sequences in one batch (memory
     * extraction, summarization). Does not disturb this session's conversation KV.
     */
    List<GenerationResult> generateBatch(List<GenerationRequest> requests);

    /** The context window in tokens. */
    int contextTokens();

    /** Tokens currently held in the KV cache. */
    int usedTokens();

    /** Forgets the KV cache. */
    void reset();

    @Override
    void close();
}
