package dev.canopy.engine.llama;

import dev.canopy.engine.ContextFullException;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.batch.StepLoop;
import dev.canopy.natives.llama.LlamaModel;

import java.util.List;

/**
 * Decodes several prompts as parallel sequences of one context on the step loop shared with
 * Canopy's engine ({@link StepLoop}, decision 0140): prompts are prefilled together (packed into
 * batches of a chunk), then every step decodes one token per live sequence in a single batch.
 */
final class LlamaBatchGenerator {
    private final LlamaModel model;
    private final LlamaTokenizer tokenizer;
    private final int chunk;
    private final int threads;
    private final int kvType;
    private final WorkerWatch watch;

    LlamaBatchGenerator(LlamaModel model, LlamaTokenizer tokenizer, int chunk, int threads, int kvType, WorkerWatch watch) {
        this.watch = watch;
        this.model = model;
        this.tokenizer = tokenizer;
        this.chunk = chunk;
        this.threads = threads;
        this.kvType = kvType;
    }

    List<GenerationResult> run(List<GenerationRequest> requests) {
        int n = requests.size();
        if (n == 0) return List.of();
        int[][] prompts = new int[n][];
        int perSeq = 0;
        for (int i = 0; i < n; i++) {
            prompts[i] = tokenizer.encode(requests.get(i).prompt(), true);
            perSeq = Math.max(perSeq, prompts[i].length + requests.get(i).maxTokens() + 1);
        }
        int trainCtx = model.trainContext() > 0 ? model.trainContext() : perSeq;
        if (perSeq > trainCtx) throw new ContextFullException(perSeq, trainCtx);
        perSeq = (perSeq + 255) / 256 * 256;

        LlamaSlotKv slots = new LlamaSlotKv(model, n, perSeq, chunk, threads, kvType, watch);
        try (StepLoop loop = new StepLoop(slots, tokenizer, model.vocab(), StepLoop.PrefillPace.ALL_BEFORE_DECODE, perSeq)) {
            return loop.runToEnd(requests, prompts, StepLoop.PromptPenalties.NOT_COUNTED);
        }
    }
}
