package dev.canopy.engine.speculative;

import dev.canopy.engine.Tokenizer;

import java.util.Optional;

/** Whether a draft model's tokens mean what the target's tokens mean: the same size and the same text per id. */
public final class DraftVocabulary {
    private DraftVocabulary() {}

    /** Why {@code draft} cannot draft for {@code target}, or empty when their vocabularies are the same. */
    public static Optional<String> mismatch(Tokenizer target, Tokenizer draft) {
        if (target.vocabSize() != draft.vocabSize()) {
            return Optional.of("the draft model's vocabulary has " + draft.vocabSize() + " tokens, the model's " + target.vocabSize()
                    + ": a draft model needs the same vocabulary (the same tokenizer)");
        }
        for (int id = 0; id < target.vocabSize(); id++) {
            String a = target.decode(new int[] {id}), b = draft.decode(new int[] {id});
            if (!a.equals(b)) {
                return Optional.of("token " + id + " is '" + a + "' for the model but '" + b + "' for the draft model:"
                        + " a draft model needs the same vocabulary (the same tokenizer)");
            }
        }
        return Optional.empty();
    }
}
