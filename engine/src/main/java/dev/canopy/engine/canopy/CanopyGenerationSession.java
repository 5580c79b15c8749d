package dev.canopy.engine.canopy;

import dev.canopy.engine.batch.TokenSampler;
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

import dev.canopy.engine.SpeculationMode;
import dev.canopy.engine.speculative.DraftLength;
import dev.canopy.engine.speculative.DraftVocabulary;
import dev.canopy.engine.speculative.Drafter;
import dev.canopy.engine.speculative.PromptLookup;
import dev.canopy.engine.speculative.SampledPicker;
import dev.canopy.engine.speculative.SpeculativeSampling;
import dev.canopy.engine.speculative.TokenPicker;

import java.util.Arrays;
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
    private Drafter drafterOverride;
    private dev.canopy.engine.InferenceModel draftFor; // borrowed: the draft model of draftDrafter
    private Drafter draftDrafter;                      // owned: its drafter, or null

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
        Decoding d = new Decoding(request, stream, prompt);
        long decodeStart = System.nanoTime();
        String note = null;
        try (TokenSampler sampler = TokenSampler.create(vocab, request.sampling())) {
            for (int i = Math.max(0, prompt.length - 64); i < prompt.length; i++) sampler.accept(prompt[i]);
            note = speculationNote(request);
            Drafter drafter = !request.speculation().enabled() || note != null ? null
                    : drafterOverride != null ? drafterOverride
                    : request.speculation().mode() == SpeculationMode.DRAFT ? draftModelDrafter(request.speculation().draftModel())
                    : new PromptLookup();
            if (drafter != null && SampledPicker.applies(request.sampling())) {
                try (SampledPicker picker = new SampledPicker(request.sampling())) {
                    d.run(picker, pre.logits(), drafter, start);
                }
            } else {
                d.run(chainPicker(sampler), pre.logits(), drafter, start);
            }
        }
        stream.finish();
        int[] tokens = d.tokens();
        GenerationStats stats = new GenerationStats(prompt.length, todo, prefillNs, tokens.length,
                System.nanoTime() - decodeStart, d.firstToken, d.drafted, d.accepted, note);
        return new GenerationResult(stream.text(), tokens, d.reason, stats);
    }

    /**
     * The drafter of {@code draft}, kept across this session's generations (its KV continues the
     * conversation); a draft model whose vocabulary differs is a clear error.
     */
    private Drafter draftModelDrafter(dev.canopy.engine.InferenceModel draft) {
        if (draft != draftFor) {
            if (draftDrafter != null) draftDrafter.close();
            draftDrafter = null;
            DraftVocabulary.mismatch(tokenizer, draft.tokenizer()).ifPresent(why -> { throw new IllegalArgumentException(why); });
            draftDrafter = draft.draftSource().orElseThrow().open();
            draftFor = draft;
        }
        return draftDrafter;
    }

    /**
     * Picks with the sampler (its chain, or the argmax); a draft token is confirmed when it is the token
     * picked. For greedy decoding with penalties or a grammar the chain then sees exactly the tokens
     * given, as without a draft: a rejected draft token is never handed to it, the token picked in its
     * place is (the loop gives that token next instead of picking again).
     */
    private static TokenPicker chainPicker(TokenSampler sampler) {
        return new TokenPicker() {
            @Override public int pick(float[] logits) { return sampler.sample(logits); }

            @Override public SpeculativeSampling.Verdict judge(float[] logits, int drafted) {
                int next = sampler.sample(logits);
                return new SpeculativeSampling.Verdict(next == drafted, next);
            }
        };
    }

    /** Why the request's speculation cannot run here, or null when it can (or was not asked for). */
    private String speculationNote(GenerationRequest request) {
        if (!request.speculation().enabled()) return null;
        if (request.sampling().temperature() > 0f && !SampledPicker.applies(request.sampling())) {
            return "speculative sampling runs without repetition penalties or a grammar (the distribution it verifies"
                    + " against leaves them out); greedy decoding speculates with them";
        }
        if (seq.chunkTokens() < 2) return "speculative decoding needs a chunk of at least 2 tokens";
        if (request.speculation().mode() == SpeculationMode.DRAFT && request.speculation().draftModel().draftSource().isEmpty()) {
            return "the draft model runs on llama.cpp's decoder; a draft model needs Canopy's engine";
        }
        return seq.speculationBlocker().orElse(null);
    }

    /**
     * The decode loop of one generation. With a drafter, the last sampled token and a draft behind
     * it are verified in one step, and each confirmed token goes through exactly the checks of
     * one-token decoding (end of text, stop strings, a full context, the token limit, cancellation),
     * so the output and the cached tokens are those of decoding one token at a time. The picker
     * decides what is confirmed: greedy (the argmax) or speculative sampling (decision 0180), whose
     * token in place of a rejected one is the next token.
     */
    private final class Decoding {
        private final GenerationRequest request;
        private final TextStream stream;
        private final int nCtx = seq.capacity();
        private final int[] context;                     // prompt and output, for the drafter
        private int size;
        private int generated;
        StopReason reason = StopReason.MAX_TOKENS;
        long firstToken;
        int drafted, accepted;

        Decoding(GenerationRequest request, TextStream stream, int[] prompt) {
            this.request = request;
            this.stream = stream;
            this.context = Arrays.copyOf(prompt, prompt.length + request.maxTokens());
            this.size = prompt.length;
        }

        int[] tokens() {
            return Arrays.copyOfRange(context, size - generated, size);
        }

        /**
         * Emits {@code token} as one-token decoding does, {@code cached} tokens being in the cache
         * before it; returns the reason to stop (the token is then never decoded), or null to go on.
         */
        private StopReason emit(int token, int cached) {
            if (tokenizer.isEndOfGeneration(token)) return StopReason.END_OF_TEXT;
            context[size++] = token;
            generated++;
            if (stream.add(tokenizer.piece(token))) return StopReason.STOP_STRING;
            if (cached >= nCtx) return StopReason.CONTEXT_FULL;
            if (generated == request.maxTokens()) return StopReason.MAX_TOKENS;
            return null;
        }

        void run(TokenPicker picker, float[] logits, Drafter drafter, long start) {
            DraftLength length = drafter == null ? null
                    : new DraftLength(Math.min(request.speculation().draftMax(), seq.chunkTokens() - 1));
            int pending = -1;                                    // the token given in place of a rejected draft token
            while (generated < request.maxTokens()) {
                if (request.cancel().isCancelled()) { reason = StopReason.CANCELLED; return; }
                int token = pending >= 0 ? pending : picker.pick(logits);
                pending = -1;
                if (firstToken == 0) firstToken = System.nanoTime() - start;
                StopReason stop = emit(token, seq.used());
                if (stop != null) { reason = stop; return; }
                // the draft must fit the context and the tokens still wanted: nothing is decoded past the last
                int room = Math.min(request.maxTokens() - generated - 1, nCtx - seq.used() - 1);
                int limit = length == null ? 0 : Math.min(room, length.next());
                long proposing = System.nanoTime();              // a draft model's steps are part of what speculation costs
                int[] draft = limit < 1 ? new int[0] : drafter.propose(context, size, limit);
                long t0 = System.nanoTime();
                if (draft.length == 0) {
                    logits = seq.decode(token);
                    if (length != null) length.plainStep(System.nanoTime() - t0);
                    continue;
                }
                // row j's logits pick what follows the token and draft[0..j)
                int[] rows = new int[draft.length + 1];
                rows[0] = token;
                System.arraycopy(draft, 0, rows, 1, draft.length);
                int base = seq.used() + 1;                       // history length once the token is in
                float[][] verified = seq.verify(rows, graphRows(rows.length));
                int j = 0;                                       // draft tokens confirmed
                int keep = base;                                 // of the rows, those one-token decoding would have decoded
                logits = verified[0];
                for (; j < draft.length; j++) {
                    if (request.cancel().isCancelled()) { stop = StopReason.CANCELLED; break; }
                    SpeculativeSampling.Verdict v = picker.judge(logits, draft[j]);
                    if (!v.accepted()) { pending = v.token(); break; }
                    stop = emit(draft[j], base + j);
                    if (stop != null) {                          // a stopping token is never decoded
                        if (stop != StopReason.END_OF_TEXT) j++;
                        break;
                    }
                    keep = base + j + 1;
                    logits = verified[j + 1];
                }
                seq.truncate(keep);                              // rejected rows are forgotten
                drafted += draft.length;
                accepted += j;
                length.verified(draft.length, j, System.nanoTime() - proposing);
                if (stop != null) { reason = stop; return; }
            }
        }

        /**
         * Rows of the verification graph: 4, 8, 16 or 32 (a few graphs serve every draft length, and
         * ggml's CPU matrix kernels reuse each weight block across 4 rows, so 2 or 3 rows cost about
         * as much as 4), at most the chunk.
         */
        private int graphRows(int rows) {
            int g = rows <= 4 ? 4 : Integer.highestOneBit(rows - 1) << 1;
            return Math.max(rows, Math.min(g, seq.chunkTokens()));
        }
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

    /** Tests: proposes drafts instead of prompt lookup (null: prompt lookup). */
    void drafterOverride(Drafter d) { drafterOverride = d; }

    /** The sequence engine under this session (for tests and the benchmark). */
    SequenceEngine sequence() { return seq; }

    @Override
    public void close() {
        if (draftDrafter != null) draftDrafter.close();
        seq.close();
    }
}
