package dev.canopy.engine.llama;

import dev.canopy.engine.ContextFullException;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.GenerationStats;
import dev.canopy.engine.StopReason;
import dev.canopy.engine.TextStream;
import dev.canopy.natives.llama.ContextParams;
import dev.canopy.natives.llama.LlamaBatch;
import dev.canopy.natives.llama.LlamaContext;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.LlamaSampler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A session on libllama's own llama_decode (dense attention, KV in llama.cpp's cache). */
final class LlamaGenerationSession implements GenerationSession {
    private final LlamaModel model;          // borrowed
    private final LlamaTokenizer tokenizer;
    private final LlamaContext ctx;          // owned
    private final LlamaBatch batch;          // owned
    private final int chunk;
    private final int threads;
    private final WorkerWatch watch;
    private int[] history = new int[0];      // tokens whose KV the context holds, in order

    /** {@code kvType}: the ggml type of llama.cpp's KV cache (F16, or Q8_0 / Q4_0 with flash attention). */
    LlamaGenerationSession(LlamaModel model, LlamaTokenizer tokenizer, int contextTokens, int chunk, int threads, int kvType,
                           WorkerWatch watch) {
        this.model = model;
        this.watch = watch;
        this.tokenizer = tokenizer;
        this.chunk = chunk;
        this.threads = threads;
        this.ctx = LlamaContext.create(model, new ContextParams(contextTokens, chunk, 1, threads).withKvType(kvType));
        this.batch = new LlamaBatch(chunk, 1);
    }

    @Override
    public GenerationResult generate(GenerationRequest request, GenerationListener listener) {
        long start = System.nanoTime();
        int[] prompt = tokenizer.encode(request.prompt(), true);
        int nCtx = ctx.contextTokens();
        if (prompt.length >= nCtx) throw new ContextFullException(prompt.length + 1, nCtx);

        int keep = commonPrefix(history, prompt);
        if (keep == prompt.length) keep--;                 // recompute the last token to get its logits
        ctx.removeTokens(0, keep, -1);
        history = Arrays.copyOf(history, keep);

        // Prefill in fixed chunks, with progress and cancellation between chunks.
        int todo = prompt.length - keep;
        for (int pos = keep; pos < prompt.length; pos += chunk) {
            if (request.cancel().isCancelled()) {
                return result("", new int[0], StopReason.CANCELLED, prompt.length, pos - keep, System.nanoTime() - start, 0, 0, 0);
            }
            int end = Math.min(prompt.length, pos + chunk);
            batch.clear();
            for (int i = pos; i < end; i++) batch.add(prompt[i], i, i == prompt.length - 1, 0);
            watch.decode(() -> ctx.decode(batch));
            history = Arrays.copyOf(prompt, end);
            listener.onPrefillProgress(end - keep, todo);
        }
        ctx.synchronize();   // the last chunk may still be computing on an async backend (GPU, RPC worker)
        watch.check();
        long prefillNs = System.nanoTime() - start;

        TextStream stream = new TextStream(request.stopStrings(), listener);
        List<Integer> out = new ArrayList<>();
        long decodeStart = System.nanoTime();
        long firstToken = 0;
        StopReason reason = StopReason.MAX_TOKENS;
        try (LlamaSampler sampler = LlamaSampler.create(model.vocab(), request.sampling())) {
            for (int i = Math.max(0, prompt.length - 64); i < prompt.length; i++) sampler.accept(prompt[i]);
            while (out.size() < request.maxTokens()) {
                if (request.cancel().isCancelled()) { reason = StopReason.CANCELLED; break; }
                int token = watch.checked(() -> sampler.sample(ctx, -1));   // a lost worker's step is never emitted
                if (firstToken == 0) firstToken = System.nanoTime() - start;
                if (tokenizer.isEndOfGeneration(token)) { reason = StopReason.END_OF_TEXT; break; }
                out.add(token);
                if (stream.add(tokenizer.piece(token))) { reason = StopReason.STOP_STRING; break; }
                if (history.length >= nCtx) { reason = StopReason.CONTEXT_FULL; break; }
                if (out.size() == request.maxTokens()) break;
                batch.clear();
                batch.add(token, history.length, true, 0);
                watch.decode(() -> ctx.decode(batch));
                history = Arrays.copyOf(history, history.length + 1);
                history[history.length - 1] = token;
            }
        }
        stream.finish();
        int[] tokens = out.stream().mapToInt(Integer::intValue).toArray();
        GenerationResult r = result(stream.text(), tokens, reason, prompt.length, todo, prefillNs,
                tokens.length, System.nanoTime() - decodeStart, firstToken);
        return !request.speculation().enabled() ? r : new GenerationResult(r.text(), r.tokens(), r.stopReason(),
                r.stats().withSpeculationNote("speculative decoding runs on Canopy's engine, not llama.cpp's decoder"));
    }

    private static GenerationResult result(String text, int[] tokens, StopReason reason, int promptTokens, int prefilled,
                                           long prefillNs, int generated, long decodeNs, long firstNs) {
        return new GenerationResult(text, tokens, reason,
                new GenerationStats(promptTokens, prefilled, prefillNs, generated, decodeNs, firstNs));
    }

    @Override
    public List<GenerationResult> generateBatch(List<GenerationRequest> requests) {
        // F16 KV, as batches always had here (the session's quantized KV type is not passed on)
        return new LlamaBatchGenerator(model, tokenizer, chunk, threads, dev.canopy.natives.ffi.llama_h.GGML_TYPE_F16(), watch).run(requests);
    }

    static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length), i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }

    @Override
    public int contextTokens() {
        return ctx.contextTokens();
    }

    @Override
    public int usedTokens() {
        return history.length;
    }

    @Override
    public void reset() {
        ctx.clearMemory();
        history = new int[0];
    }

    @Override
    public void close() {
        batch.close();
        ctx.close();
    }
}
