package dev.canopy.app.api;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.InferenceModel;

import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** Runs a {@link Job} on the loaded model in a slot: the one path both APIs generate through. */
final class Generator {
    private final ModelAccess access; // borrowed
    private final Slots slots;        // borrowed

    Generator(ModelAccess access, Slots slots) {
        this.access = access;
        this.slots = slots;
    }

    /**
     * Generates {@code job}, handing text to {@code onText} as it comes; {@code onStart} gets the
     * prompt's token count once a slot is taken (errors before it, such as a full queue, are thrown). Cancelling {@code cancel} ends it at the next token.
     */
    Answer run(Job job, CancellationToken cancel, IntConsumer onStart, Consumer<String> onText) {
        return access.withModel(model -> {
            String prompt = job.prompt().apply(model);
            int[] tokens = model.tokenizer().encode(prompt, true);
            int max = job.maxTokens().orElse(Integer.MAX_VALUE);
            GenerationRequest request = new GenerationRequest(prompt, max, job.sampling(), job.stops(), cancel);
            return Answer.of(slots.generate(model, tokens, job.promptParam(), request,
                    () -> onStart.accept(tokens.length), new GenerationListener() {
                @Override public void onText(String delta) { onText.accept(delta); }
            }));
        });
    }

    /** Tokens of the prompt {@code job} makes (Anthropic's count_tokens). */
    int countTokens(Job job) {
        return access.withModel((InferenceModel model) -> model.tokenizer().encode(job.prompt().apply(model), true).length);
    }
}
