package dev.canopy.memory.llm;

import java.util.List;

/**
 * The port through which memory asks a language model for text; the app implements it over the
 * engine ({@code InferenceModel.generateBatch}). Implementations should decode the prompts as
 * parallel sequences of one batch, at temperature 0.
 */
@FunctionalInterface
public interface TextGenerator {

    /**
     * @param prompts          complete prompts (the implementation applies the chat template)
     * @param jsonGrammarOrNull a GBNF grammar the output must follow, or null for free text
     * @param maxTokens        upper bound on generated tokens per prompt
     * @return one completion per prompt, in order
     */
    List<String> generateBatch(List<String> prompts, String jsonGrammarOrNull, int maxTokens);
}
