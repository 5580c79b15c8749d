package dev.canopy.kv;

/**
 * One page of one layer: the tokens at positions {@code [firstPosition, firstPosition + tokens)}.
 * To recompute a damaged page the engine runs those positions again (the KV of a token depends
 * on every token before it, which the other pages still hold).
 */
public record PageRef(int layer, int page, int firstPosition, int tokens) {
    public int endPosition() {
        return firstPosition + tokens;
    }
}
