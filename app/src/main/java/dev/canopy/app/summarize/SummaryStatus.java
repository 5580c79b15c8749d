package dev.canopy.app.summarize;

/** Whether a summary is whole. */
public enum SummaryStatus {
    /** The model finished it. */
    COMPLETE,
    /** It reached its token limit (even after a retry with more room): it may end mid-sentence, and the output says so. */
    CUT_SHORT
}
