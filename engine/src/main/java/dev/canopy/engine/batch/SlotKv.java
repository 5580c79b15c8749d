package dev.canopy.engine.batch;

import java.util.List;

/**
 * What an engine gives the {@link StepLoop}: a KV cache of sequence slots and the forward passes over
 * it. Sequence {@code s} runs in slot {@code s}; the loop keeps track of which tokens each slot holds
 * and tells the cache when a slot is cut back. Owns its cache and passes.
 */
public interface SlotKv extends AutoCloseable {
    /** How a prefill pass may mix sequences. */
    enum Packing {
        /** One sequence per pass, in chunks aligned as one by one's (Canopy's graph: a chunk's slot is in its graph). */
        ONE_SEQUENCE,
        /** Several sequences' prompt tokens packed into one pass of at most a chunk (libllama's batch of sequence ids). */
        SEQUENCES_PACKED
    }

    /** One sequence's consecutive prompt tokens from {@code firstPosition}, to prefill into its slot. */
    record PromptPart(int slot, int[] tokens, int firstPosition) {}

    int slots();

    /** Tokens a slot holds at most. */
    int slotTokens();

    /** The most prompt tokens of one prefill pass. */
    int chunkTokens();

    Packing packing();

    /**
     * Whether slot {@code slot}, cut to its first {@code length} positions, can continue from there
     * (a sliding-window ring may already have overwritten keys the next position sees).
     */
    boolean continuable(int slot, int length);

    /** Forgets what slot {@code slot} holds from position {@code length} on. */
    void truncate(int slot, int length);

    /** Computes the KV of {@code parts} (at most {@link #chunkTokens()} tokens in all; one part unless packed). */
    void prefill(List<PromptPart> parts);

    /**
     * Decodes one token of each of {@code slots} (ascending) at {@code positions} in one forward pass
     * and returns the logits after each, in the same order.
     */
    float[][] decode(int[] slots, int[] tokens, int[] positions);

    @Override
    void close();
}
