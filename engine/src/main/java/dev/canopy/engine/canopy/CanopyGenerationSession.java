package dev.canopy.engine.canopy;

import dev.canopy.engine.ContextFullException;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.GenerationStats;
import dev.canopy.engine.StopReason;
import dev.canopy.engine.TextStream;
import dev.canopy.engine.llama.LlamaTokenizer;
import dev.canopy.natives.llama.LlamaVocab;

import java.util.ArrayList;
import java.util.List;

/**
 * A conversation on Canopy's own graph: the same semantics as the llama.cpp session (prefix reuse
 * across turns, chunked prefill with progress and cancellation between chunks, streaming with stop
 * strings, a clear stop when the context is full), with the KV cache owned by the engine.
 */
final class CanopyGenerationSession implements GenerationSession {
    private final CanopyInferenceModel model; // borrowed
    private final LlamaTokenizer tokenizer;   // borrowed
    private final LlamaVocab vocab;           // borrowed
    private final RunSettings settings;
    private final SequenceEngine seq;         // owned

    CanopyGenerationSession(CanopyInferenceModel model, RunSettings settings) {
        this(model, settings, null);
    }

    /** With {@code offload} non-null the KV lives in tiers and is saved on close (see {@link dev.canopy.engine.kv.KvOffload}). */
    CanopyGenerationSession(CanopyInferenceModel model, RunSettings settings, dev.canopy.engine.kv.KvOffload offload) {
        this.model = model;
        this.tokenizer = model.llamaTokenizer();
        this.vocab = model.vocab();
        this.settings = settings;
        this.seq = model.openSequence(settings, offload);
    }

    @Override
    public GenerationResult generate(GenerationRequest request, GenerationListener listener) {
        long start = System.nanoTime();
        int[] prompt = tokenizer.encode(request.prompt(), true);
        int nCtx = seq.capacity();
        if (prompt.length >= nCtx) throw new ContextFullException(prompt.length + 1, nCtx);

        seq.resume(prompt);                                // a saved conversation's KV (tiered KV only)
        int keep = commonPrefix(seq.history(), prompt);
        float[] known = keep == prompt.length ? seq.logitsAfterHistory() : null;
        if (keep == prompt.length && known == null) keep--; // recompute the last token to get its logits
        if (known == null) keep = seq.reusablePrefix(keep); // 0 when a sliding-window ring lost the window before it
        int todo = prompt.length - keep;
        SequenceEngine.Prefill pre = known != null ? new SequenceEngine.Prefill(known, prompt.length, false)
                : seq.prefill(prompt, keep, request.cancel(), listener);
        long prefillNs = System.nanoTime() - start;
        if (pre.cancelled()) {
            return result("", new int[0], StopReason.CANCELLED, prompt.length, pre.computedUpTo() - keep, prefillNs, 0, 0);
        }

        TextStream stream = new TextStream(request.stopStrings(), listener);
        List<Integer> out = new ArrayList<>();
        long decodeStart = System.nanoTime();
        long firstToken = 0;
        StopReason reason = StopReason.MAX_TOKENS;
        float[] logits = pre.logits();
        try (TokenSampler sampler = TokenSampler.create(vocab, request.sampling())) {
            for (int i = Math.max(0, prompt.length - 64); i < prompt.length; i++) sampler.accept(prompt[i]);
            while (out.size() < request.maxTokens()) {
                if (request.cancel().isCancelled()) { reason = StopReason.CANCELLED; break; }
                int token = sampler.sample(logits);
                if (firstToken == 0) firstToken = System.nanoTime() - start;
                if (tokenizer.isEndOfGeneration(token)) { reason = StopReason.END_OF_TEXT; break; }
                out.add(token);
                if (stream.add(tokenizer.piece(token))) { reason = StopReason.STOP_STRING; break; }
                if (seq.used() >= nCtx) { reason = StopReason.CONTEXT_FULL; break; }
                if (out.size() == request.maxTokens()) break;
                logits = seq.decode(token);
            }
        }
        stream.finish();
        int[] tokens = out.stream().mapToInt(Integer::intValue).toArray();
        return result(stream.text(), tokens, reason, prompt.length, todo, prefillNs,
                System.nanoTime() - decodeStart, firstToken);
    }

    private static GenerationResult result(String text, int[] tokens, StopReason reason, int promptTokens, int prefilled,
                                           long prefillNs, long decodeNs, long firstNs) {
        return new GenerationResult(text, tokens, reason,
                new GenerationStats(promptTokens, prefilled, prefillNs, tokens.length, decodeNs, firstNs));
    }

    static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length), i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }

    @Override
    public List<GenerationResult> generateBatch(List<GenerationRequest> requests) {
        return new CanopyBatchGenerator(model, settings, seq.backends()).run(requests);
    }

    @Override public int contextTokens() { return seq.capacity(); }
    @Override public int usedTokens() { return seq.used(); }
    @Override public void reset() { seq.reset(); }

    /** The sequence engine under this session (for tests and the benchmark). */
    SequenceEngine sequence() { return seq; }

    @Override
    public void close() {
        seq.close();
    }
}
