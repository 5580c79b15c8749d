package dev.canopy.app.summarize;

/**
 * What a run did.
 *
 * @param chunks            chunks in the document
 * @param chunkTokens       the chunk budget used
 * @param levels            merge levels above the chunk summaries
 * @param reused            summaries taken from the store instead of generated
 * @param sequences         prompts generated this run (retries included)
 * @param promptTokens      prompt tokens computed this run
 * @param generatedTokens   tokens generated this run
 * @param generationNanos   time spent in the engine
 * @param prefillNanos      of that, computing prompts (a batch's sequences share one prefill)
 * @param decodeNanos       of that, generating (a batch's sequences share one decode loop)
 * @param wallNanos         time of the whole run
 * @param speculation       how speculative decoding went ("speculative: 45 of 60 guessed tokens accepted (75%)."
 *                          or "not speculative: why."), or null when it was not asked for
 */
public record SummaryStats(int chunks, int chunkTokens, int levels, int reused, int sequences, long promptTokens,
                           long generatedTokens, long generationNanos, long prefillNanos, long decodeNanos, long wallNanos,
                           String speculation) {

    /** Prompt tokens per second of prefill. */
    public double prefillTokensPerSecond() {
        return prefillNanos == 0 ? 0 : promptTokens * 1e9 / prefillNanos;
    }

    /** Generated tokens (all sequences of a batch together) per second of decoding. */
    public double decodeTokensPerSecond() {
        return decodeNanos == 0 ? 0 : generatedTokens * 1e9 / decodeNanos;
    }

    /** Prompt and generated tokens per second of engine time. */
    public double tokensPerSecond() {
        return generationNanos == 0 ? 0 : (promptTokens + generatedTokens) * 1e9 / generationNanos;
    }

    public double generatedTokensPerSecond() {
        return generationNanos == 0 ? 0 : generatedTokens * 1e9 / generationNanos;
    }

    public double seconds() {
        return wallNanos / 1e9;
    }
}
