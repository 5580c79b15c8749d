package dev.canopy.engine.batch;

import dev.canopy.engine.ContextFullException;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.llama.LlamaTokenizer;

import java.util.List;

/**
 * A batch's prompts as tokens, and how many KV cells its longest sequence needs: the prompt, its
 * {@code maxTokens} and one more. Both batch generators (Canopy's and llama.cpp's) size their slots
 * from it before they run the {@link StepLoop}.
 *
 * @param prompts one token array per request, in order
 * @param cells   the most cells any one sequence needs (0 for no requests)
 */
public record BatchPrompts(int[][] prompts, int cells) {

    /** Encodes every request's prompt (with BOS) with {@code tokenizer}. */
    public static BatchPrompts encode(LlamaTokenizer tokenizer, List<GenerationRequest> requests) {
        int[][] prompts = new int[requests.size()][];
        int cells = 0;
        for (int i = 0; i < prompts.length; i++) {
            prompts[i] = tokenizer.encode(requests.get(i).prompt(), true);
            cells = Math.max(cells, prompts[i].length + requests.get(i).maxTokens() + 1);
        }
        return new BatchPrompts(prompts, cells);
    }

    /** Whether the batch has no requests. */
    public boolean isEmpty() {
        return prompts.length == 0;
    }

    /** Throws {@link ContextFullException} when a sequence needs more cells than {@code trainContext}. */
    public BatchPrompts requireFits(int trainContext) {
        if (cells > trainContext) throw new ContextFullException(cells, trainContext);
        return this;
    }
}
