package dev.canopy.engine.llama;

import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.batch.BatchPrompts;
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
        BatchPrompts batch = BatchPrompts.encode(tokenizer, requests);
        if (model.trainContext() > 0) batch.requireFits(model.trainContext());   // unknown: no limit to check
        if (batch.isEmpty()) return List.of();
        int n = requests.size();
        int[][] prompts = batch.prompts();
        int perSeq = (batch.cells() + 255) / 256 * 256;

        LlamaSlotKv slots = new LlamaSlotKv(model, n, perSeq, chunk, threads, kvType, watch);
        try (StepLoop loop = new StepLoop(slots, tokenizer, model.vocab(), StepLoop.PrefillPace.ALL_BEFORE_DECODE, perSeq)) {
            return loop.runToEnd(requests, prompts, StepLoop.PromptPenalties.NOT_COUNTED);
        }
    }
}
