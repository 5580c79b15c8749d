package dev.canopy.app.chat;

/**
 * How an answer was produced, shown under it.
 *
 * @param promptTokens      tokens of the whole prompt
 * @param generatedTokens   new tokens
 * @param tokensPerSecond   decode speed
 * @param firstTokenMillis  time to first token
 * @param contextUsed       tokens in the context window after the answer
 * @param contextSize       the context window
 * @param stopReason        END_OF_TEXT, MAX_TOKENS, CANCELLED, CONTEXT_FULL, STOP_STRING
 * @param memoriesUsed      facts recalled for the answer
 */
public record ReplyStats(int promptTokens, int generatedTokens, double tokensPerSecond, double firstTokenMillis,
                         int contextUsed, int contextSize, String stopReason, java.util.List<String> memoriesUsed) {
    public ReplyStats {
        memoriesUsed = memoriesUsed == null ? java.util.List.of() : java.util.List.copyOf(memoriesUsed);
    }
}
