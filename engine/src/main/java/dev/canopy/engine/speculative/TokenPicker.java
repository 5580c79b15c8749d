package dev.canopy.engine.speculative;

/**
 * How a decode loop picks tokens and judges a drafted token against the target's logits: greedy
 * (confirmed when it is the argmax) or speculative sampling (the accept/reject rule). Either way a
 * rejected draft token comes with the token to emit in its place, which follows the same rule as
 * a token picked without a draft.
 */
public interface TokenPicker {
    /** The next token after {@code logits}, with no draft. */
    int pick(float[] logits);

    /** Judges {@code drafted}, proposed by a deterministic drafter, as the token after {@code logits}. */
    SpeculativeSampling.Verdict judge(float[] logits, int drafted);
}
