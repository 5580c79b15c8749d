package dev.canopy.app.memories;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.StopReason;
import dev.canopy.memory.llm.TextGenerator;
import dev.canopy.natives.llama.ChatMessage;
import dev.canopy.natives.llama.SamplerSettings;

import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Memory's model port over an engine model: each prompt becomes one user message in the model's
 * chat template, all prompts of a call are decoded as parallel sequences of one batch
 * ({@link GenerationSession#generateBatch}, which leaves the session's conversation KV alone),
 * greedily (temperature 0), constrained by the grammar when one is given. Borrows the model and
 * the session; use from the thread that owns the session.
 */
public final class EngineTextGenerator implements TextGenerator {
    private final InferenceModel model;     // borrowed
    private final GenerationSession session; // borrowed
    private final CancellationToken cancel;

    public EngineTextGenerator(InferenceModel model, GenerationSession session) {
        this(model, session, new CancellationToken());
    }

    /**
     * With {@code cancel}: once it is set, the batch in progress stops at its next chunk or token and
     * {@link #generateBatch} throws {@link CancellationException} (its partial answers are not returned,
     * so nothing half-written is parsed as memory).
     */
    public EngineTextGenerator(InferenceModel model, GenerationSession session, CancellationToken cancel) {
        if (model == null || session == null || cancel == null) {
            throw new IllegalArgumentException("model, session and cancellation token are required");
        }
        this.model = model;
        this.session = session;
        this.cancel = cancel;
    }

    @Override
    public List<String> generateBatch(List<String> prompts, String jsonGrammarOrNull, int maxTokens) {
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1, not " + maxTokens);
        if (prompts.isEmpty()) return List.of();
        if (cancel.isCancelled()) throw new CancellationException("memory extraction was cancelled");
        SamplerSettings sampling = jsonGrammarOrNull == null || jsonGrammarOrNull.isBlank()
                ? SamplerSettings.greedy() : SamplerSettings.greedy().withGrammar(jsonGrammarOrNull);
        List<GenerationRequest> requests = prompts.stream()
                .map(p -> new GenerationRequest(model.formatChat(List.of(ChatMessage.user(p)), true), maxTokens,
                        sampling, List.of(), cancel))
                .toList();
        List<GenerationResult> results = session.generateBatch(requests);
        if (cancel.isCancelled() || results.stream().anyMatch(r -> r.stopReason() == StopReason.CANCELLED)) {
            throw new CancellationException("memory extraction was cancelled");
        }
        if (results.size() != prompts.size()) {
            throw new IllegalStateException("the engine returned " + results.size() + " completions for "
                    + prompts.size() + " prompts");
        }
        return results.stream().map(GenerationResult::text).toList();
    }
}
