package dev.canopy.engine;

/**
 * Step-wise batch decoding (decision 0140): a KV cache of {@link #slots()} slots in which
 * sequences join, decode together and leave. A sequence joins a free slot with its whole prompt;
 * the KV of the longest prefix the slot still holds from its last sequence is kept, and the rest of
 * the prompt is prefilled in chunks over that slot alone. Each {@link #step()} then decodes one token
 * of every live sequence in one forward pass (each sequence's attention reads only its own slot),
 * samples each with its own sampler, and lets finished or cancelled sequences leave, freeing their
 * slots for the next join. Greedy outputs equal what {@link GenerationSession#generate} returns for
 * the same prompt alone.
 *
 * <p>Not thread-safe: {@link #join}, {@link #step()} and {@link #close()} must not overlap (callers
 * serialize them); listeners are called on the thread running the step, so they should only hand the
 * text on.
 */
public interface SequencePool extends AutoCloseable {
    /** Sequences that can decode together. */
    int slots();

    /** Tokens one slot holds at most (prompt and answer). */
    int slotTokens();

    /** The tokens whose KV slot {@code slot} holds (what a joining prompt can reuse). */
    int[] held(int slot);

    /**
     * Starts {@code request} in the free slot {@code slot}. Throws {@link ContextFullException} when
     * the prompt does not fit a slot and {@link IllegalStateException} when the slot is taken.
     */
    PooledSequence join(int slot, GenerationRequest request, GenerationListener listener);

    /**
     * One step: sequences that were cancelled leave, a prefill pass runs for a joining sequence
     * (one chunk), and one forward pass decodes a token of every sequence that has one. Returns
     * false when there was nothing to do.
     */
    boolean step();

    /** Whether no sequence is live. */
    boolean idle();

    /** Counters of the steps run so far. */
    BatchStats stats();

    @Override
    void close();
}
