package dev.canopy.app.summarize;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.StopReason;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The last pass: the top-level summaries into one summary in the user's style, streamed, with citations checked. */
final class FinalPass {
    /** The final text, whether it came from the store, and notes about it. */
    record Outcome(String text, boolean reused, List<String> notes) {}

    private final GenerationSession session;
    private final SummaryPrompts prompts;
    private final Levels levels;
    private final Budgets budgets;
    private final SummarizeOptions options;
    private final Meter meter;
    private final SummaryListener listener;
    private final CancellationToken cancel;

    FinalPass(GenerationSession session, SummaryPrompts prompts, Levels levels, Budgets budgets, SummarizeOptions options,
              Meter meter, SummaryListener listener, CancellationToken cancel) {
        this.session = session;
        this.prompts = prompts;
        this.levels = levels;
        this.budgets = budgets;
        this.options = options;
        this.meter = meter;
        this.listener = listener;
        this.cancel = cancel;
    }

    /** Writes the final summary of {@code inputs}, or returns the stored one; null when cancelled. */
    Outcome run(List<Summary> inputs, Optional<StoredResult> stored) {
        if (stored.isPresent()) {
            listener.onFinalText(stored.get().text());
            return new Outcome(stored.get().text(), true, List.of());
        }
        if (cancel.isCancelled()) return null;
        String prompt = prompts.finalPass(levels.finalInputs(inputs), options.style(), options.instruction(), budgets.finalTokens());
        GenerationResult r = generate(prompt, budgets.finalTokens());
        if (r.stopReason() == StopReason.MAX_TOKENS && options.retryCutShort()
                && r.stats().promptTokens() + 2L * budgets.finalTokens() + 1 <= budgets.context()) {
            listener.onFinalRestart();
            r = generate(prompt, 2 * budgets.finalTokens());
        }
        if (r.stopReason() == StopReason.CANCELLED) return null;
        List<String> notes = new ArrayList<>();
        if (!r.complete()) {
            notes.add("The final summary reached its length limit (" + r.tokens().length + " tokens) and may end mid-sentence.");
        }
        String text = Citations.attribute(r.text().strip(), levels.evidence(inputs), levels.span(inputs),
                prompts.locator());
        if (text.isBlank()) text = "(The model produced no summary.) " + levels.span(inputs).cite(prompts.locator());
        return new Outcome(text, false, notes);
    }

    private GenerationResult generate(String prompt, int maxTokens) {
        long t0 = System.nanoTime();
        GenerationResult r = session.generate(new GenerationRequest(prompt, maxTokens, BatchGenerator.SAMPLING, List.of(), cancel)
                        .withSpeculation(options.speculation()),
                new GenerationListener() {
                    @Override public void onText(String delta) { listener.onFinalText(delta); }
                });
        meter.addSingle(r, System.nanoTime() - t0);
        return r;
    }
}
