package dev.canopy.app.memories;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.memory.llm.TextGenerator;
import dev.canopy.natives.llama.ChatMessage;
import dev.canopy.natives.llama.SamplerSettings;

import java.util.List;

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

    public EngineTextGenerator(InferenceModel model, GenerationSession session) {
        if (model == null || session == null) throw new IllegalArgumentException("model and session are required");
        this.model = model;
        this.session = session;
    }

    @Override
    public List<String> generateBatch(List<String> prompts, String jsonGrammarOrNull, int maxTokens) {
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1, not " + maxTokens);
        if (prompts.isEmpty()) return List.of();
        SamplerSettings sampling = jsonGrammarOrNull == null || jsonGrammarOrNull.isBlank()
                ? SamplerSettings.greedy() : SamplerSettings.greedy().withGrammar(jsonGrammarOrNull);
        List<GenerationRequest> requests = prompts.stream()
                .map(p -> new GenerationRequest(model.formatChat(List.of(ChatMessage.user(p)), true), maxTokens,
                        sampling, List.of(), new CancellationToken()))
                .toList();
        List<GenerationResult> results = session.generateBatch(requests);
        if (results.size() != prompts.size()) {
            throw new IllegalStateException("the engine returned " + results.size() + " completions for "
                    + prompts.size() + " prompts");
        }
        return results.stream().map(GenerationResult::text).toList();
    }
}
