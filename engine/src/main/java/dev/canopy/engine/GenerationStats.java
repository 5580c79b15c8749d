package dev.canopy.engine;

/**
 * Timings of one generation.
 *
 * @param promptTokens    tokens of the request's prompt
 * @param prefilledTokens of those, tokens actually computed (the rest were reused from the session's KV)
 * @param prefillNanos    time spent computing the prompt
 * @param generatedTokens new tokens
 * @param decodeNanos     time spent generating them
 * @param firstTokenNanos time from the request to the first new token
 */
public record GenerationStats(int promptTokens, int prefilledTokens, long prefillNanos, int generatedTokens,
                              long decodeNanos, long firstTokenNanos) {

    public double prefillTokensPerSecond() {
        return prefillNanos == 0 ? 0 : prefilledTokens * 1e9 / prefillNanos;
    }

    public double decodeTokensPerSecond() {
        return decodeNanos == 0 ? 0 : generatedTokens * 1e9 / decodeNanos;
    }

    public double prefillMillis() { return prefillNanos / 1e6; }
    public double decodeMillis() { return decodeNanos / 1e6; }
    public double timeToFirstTokenMillis() { return firstTokenNanos / 1e6; }
}
