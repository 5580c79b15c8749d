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
 * @param draftedTokens   tokens speculative decoding proposed (0 without it)
 * @param acceptedTokens  of those, the tokens the model confirmed (each saved a decode step)
 * @param speculationNote why speculative decoding was asked for but did not run (null when it ran or was not asked for)
 */
public record GenerationStats(int promptTokens, int prefilledTokens, long prefillNanos, int generatedTokens,
                              long decodeNanos, long firstTokenNanos, int draftedTokens, int acceptedTokens,
                              String speculationNote) {

    /** Without speculative decoding. */
    public GenerationStats(int promptTokens, int prefilledTokens, long prefillNanos, int generatedTokens,
                           long decodeNanos, long firstTokenNanos) {
        this(promptTokens, prefilledTokens, prefillNanos, generatedTokens, decodeNanos, firstTokenNanos, 0, 0, null);
    }

    /** The same timings with a note saying why speculative decoding did not run. */
    public GenerationStats withSpeculationNote(String note) {
        return new GenerationStats(promptTokens, prefilledTokens, prefillNanos, generatedTokens, decodeNanos, firstTokenNanos,
                draftedTokens, acceptedTokens, note);
    }

    /** Of the tokens speculative decoding proposed, the share the model confirmed (0 when it proposed none). */
    public double acceptanceRate() {
        return draftedTokens == 0 ? 0 : (double) acceptedTokens / draftedTokens;
    }

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
