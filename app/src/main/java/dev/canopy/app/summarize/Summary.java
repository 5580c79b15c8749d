package dev.canopy.app.summarize;

/**
 * A summary at one level of the hierarchy: level 0 summarizes chunk {@code index}; level {@code n > 0}
 * merges consecutive summaries of level {@code n - 1}. Merged text carries a citation after each statement.
 *
 * @param level           0 for chunk summaries
 * @param index           position within its level
 * @param text            the summary (with citations from level 1 on)
 * @param span            the places of the document it covers
 * @param status          complete or cut short
 * @param generatedTokens tokens the model wrote for it (0 when carried up unchanged)
 */
public record Summary(int level, int index, String text, SourceSpan span, SummaryStatus status, int generatedTokens) {
    public boolean cutShort() {
        return status == SummaryStatus.CUT_SHORT;
    }
}
