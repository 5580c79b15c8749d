package dev.canopy.app.summarize;

import dev.canopy.app.documents.Document;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.InferenceModel;

/**
 * Summarizes a long document hierarchically (BooookScore's hierarchical merging): the document is cut
 * into chunks sized to the model's context, chunks are summarized as parallel sequences of one batch,
 * consecutive summaries are merged level by level until they fit one prompt, and a final pass writes
 * the summary in the chosen style. Every statement of every merged and final summary cites the pages
 * (or lines, or sections) it comes from.
 *
 * <p>Finished summaries are stored after every batch; running again with the same document, model and
 * settings (after a cancel or a crash) skips what is stored, and a finished summary is returned from
 * the store without generating anything. A larger context (the engine's long-context paths) gives
 * fewer, larger chunks automatically when {@code chunkTokens} is 0.
 *
 * <p>Call {@link #run} on a background thread; cancel through the token from any thread: the run stops
 * within the batch in flight.
 */
public final class SummarizationPipeline {
    private final InferenceModel model;
    private final SummaryStore store;
    private final SummarizeOptions options;

    public SummarizationPipeline(InferenceModel model, SummaryStore store, SummarizeOptions options) {
        this.model = model;
        this.store = store;
        this.options = options;
    }

    public SummaryResult run(Document doc, SummaryListener listener, CancellationToken cancel) {
        return new SummaryRun(model, store, options, doc, listener, cancel).execute();
    }

    public SummaryResult run(Document doc) {
        return run(doc, SummaryListener.NONE, new CancellationToken());
    }
}
