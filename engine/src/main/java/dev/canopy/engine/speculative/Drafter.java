package dev.canopy.engine.speculative;

/**
 * Proposes the tokens most likely to follow a context, for the target model to verify in one step
 * (speculative decoding). A drafter only proposes: the verification decides, so a poor drafter costs
 * speed, never a different answer.
 */
public interface Drafter extends AutoCloseable {
    /**
     * Up to {@code limit} tokens proposed to follow {@code context[0..size)}; an empty array when it
     * has nothing worth verifying.
     */
    int[] propose(int[] context, int size, int limit);

    /** Frees what the drafter owns (a draft model's KV); nothing by default. */
    @Override
    default void close() {}
}
