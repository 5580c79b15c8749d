package dev.canopy.engine.llama;

import dev.canopy.engine.ContextFullException;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationStats;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.StopReason;
import dev.canopy.engine.TextStream;
import dev.canopy.natives.llama.ContextParams;
import dev.canopy.natives.llama.LlamaBatch;
import dev.canopy.natives.llama.LlamaContext;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.LlamaSampler;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes several prompts as parallel sequences of one context: prompts are prefilled together,
 * then every step samples one token per live sequence and decodes them in a single batch.
 */
final class LlamaBatchGenerator {
    private final LlamaModel model;
    private final LlamaTokenizer tokenizer;
    private final int chunk;
    private final int threads;

    LlamaBatchGenerator(LlamaModel model, LlamaTokenizer tokenizer, int chunk, int threads) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.chunk = chunk;
        this.threads = threads;
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

        long start = System.nanoTime();
        try (LlamaContext ctx = LlamaContext.create(model, new ContextParams(perSeq * n, chunk, n, threads));
             LlamaBatch batch = new LlamaBatch(Math.max(chunk, n), 1)) {
            int[] logitRow = new int[n];
            int[] pos = new int[n];
            // Prefill every prompt but its last token, packing sequences into full batches.
            batch.clear();
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < prompts[s].length - 1; i++) {
                    if (batch.size() == batch.capacity()) { ctx.decode(batch); batch.clear(); }
                    batch.add(prompts[s][i], i, false, s);
                }
                pos[s] = prompts[s].length;
            }
            if (batch.size() > 0) { ctx.decode(batch); batch.clear(); }
            // Then every sequence's last prompt token in one batch, so all logits come from one decode.
            for (int s = 0; s < n; s++) {
                logitRow[s] = batch.size();
                batch.add(prompts[s][pos[s] - 1], pos[s] - 1, true, s);
            }
            ctx.decode(batch);
            long prefillNs = System.nanoTime() - start;

            List<LlamaSampler> samplers = new ArrayList<>();
            TextStream[] streams = new TextStream[n];
            List<List<Integer>> out = new ArrayList<>();
            StopReason[] reason = new StopReason[n];
            for (int s = 0; s < n; s++) {
                samplers.add(LlamaSampler.create(model.vocab(), requests.get(s).sampling()));
                streams[s] = new TextStream(requests.get(s).stopStrings(), GenerationListener.NONE);
                out.add(new ArrayList<>());
            }
            long decodeStart = System.nanoTime();
            try {
                while (true) {
                    batch.clear();
                    int[] row = new int[n];
                    for (int s = 0; s < n; s++) {
                        if (reason[s] != null) continue;
                        GenerationRequest r = requests.get(s);
                        if (r.cancel().isCancelled()) { reason[s] = StopReason.CANCELLED; continue; }
                        if (out.get(s).size() >= r.maxTokens()) { reason[s] = StopReason.MAX_TOKENS; continue; }
                        int token = samplers.get(s).sample(ctx, logitRow[s]);
                        if (tokenizer.isEndOfGeneration(token)) { reason[s] = StopReason.END_OF_TEXT; continue; }
                        out.get(s).add(token);
                        if (streams[s].add(tokenizer.piece(token))) { reason[s] = StopReason.STOP_STRING; continue; }
                        if (out.get(s).size() >= r.maxTokens()) { reason[s] = StopReason.MAX_TOKENS; continue; }
                        row[s] = batch.size();
                        batch.add(token, pos[s]++, true, s);
                    }
                    if (batch.size() == 0) break;
                    ctx.decode(batch);
                    logitRow = row;
                }
            } finally {
                samplers.forEach(LlamaSampler::close);
            }
            long decodeNs = System.nanoTime() - decodeStart;
            List<GenerationResult> results = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                streams[s].finish();
                int[] toks = out.get(s).stream().mapToInt(Integer::intValue).toArray();
                results.add(new GenerationResult(streams[s].text(), toks, reason[s],
                        new GenerationStats(prompts[s].length, prompts[s].length, prefillNs, toks.length, decodeNs, prefillNs)));
            }
            return results;
        }
    }
}
