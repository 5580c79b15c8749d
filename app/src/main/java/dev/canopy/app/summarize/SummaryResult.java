package dev.canopy.app.summarize;

import dev.canopy.app.documents.Document;

import java.util.List;

/**
 * The outcome of a run.
 *
 * @param state          completed or cancelled (a cancelled run has no text; its finished work is stored)
 * @param runId          the key of its stored summaries ({@link SummaryStore#summaries})
 * @param document       the document summarized
 * @param options        the settings used
 * @param modelName      the model that wrote it
 * @param text           the final summary, a citation after every statement ("" when cancelled)
 * @param chunkSummaries the level-0 summaries finished so far, in document order
 * @param notes          what the reader should know: parts cut short, pages left out
 * @param stats          counts and timings
 */
public record SummaryResult(RunState state, String runId, Document document, SummarizeOptions options, String modelName, String text,
                            List<Summary> chunkSummaries, List<String> notes, SummaryStats stats) {
    public SummaryResult {
        chunkSummaries = List.copyOf(chunkSummaries);
        notes = List.copyOf(notes);
    }

    /** How a run ended. */
    public enum RunState { COMPLETED, CANCELLED }

    public boolean completed() {
        return state == RunState.COMPLETED;
    }

    /** The result as a Markdown file. */
    public String markdown() {
        return MarkdownExport.render(this);
    }
}
