package dev.canopy.natives.llama;

import dev.canopy.natives.NativeLog;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ffi.llama_sampler_chain_params;
import dev.canopy.natives.ffi.llama_token_data;
import dev.canopy.natives.ffi.llama_token_data_array;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A libllama sampler chain built from {@link SamplerSettings}. Owns the native chain and the grammar.
 * The grammar sampler stays outside the chain: {@link #accept} feeds prompt tokens to the penalties
 * only (a grammar handed a token it does not allow aborts the process), and sampling applies the
 * grammar first, then the chain.
 */
public final class LlamaSampler implements AutoCloseable {
    private MemorySegment chain;   // owned: llama_sampler* (chain), freed in close()
    private MemorySegment grammar; // owned: llama_sampler* (grammar) or NULL, freed in close()

    private LlamaSampler(MemorySegment chain, MemorySegment grammar) {
        this.chain = chain;
        this.grammar = grammar;
    }

    public static LlamaSampler create(LlamaVocab vocab, SamplerSettings s) {
        MemorySegment chain;
        MemorySegment grammar;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = llama_h.llama_sampler_chain_default_params(arena);
            llama_sampler_chain_params.no_perf(p, true);
            if (s.constrained()) {
                NativeLog.drain();
                grammar = llama_h.llama_sampler_init_grammar(vocab.pointer(),
                        arena.allocateFrom(s.grammar()), arena.allocateFrom("root"));
                if (grammar.equals(MemorySegment.NULL)) {
                    throw new IllegalArgumentException("invalid GBNF grammar" + NativeLog.drainAsSuffix());
                }
            } else {
                grammar = MemorySegment.NULL;
            }
            chain = llama_h.llama_sampler_chain_init(p);
            if (s.penalized()) {
                llama_h.llama_sampler_chain_add(chain, llama_h.llama_sampler_init_penalties(vocab.size(), s.repeatLastN(),
                        s.repeatPenalty(), s.frequencyPenalty(), s.presencePenalty()));
            }
            if (s.temperature() <= 0f) {
                llama_h.llama_sampler_chain_add(chain, llama_h.llama_sampler_init_greedy());
            } else {
                if (s.topK() > 0) llama_h.llama_sampler_chain_add(chain, llama_h.llama_sampler_init_top_k(s.topK()));
                if (s.topP() < 1f) llama_h.llama_sampler_chain_add(chain, llama_h.llama_sampler_init_top_p(s.topP(), 1));
                if (s.minP() > 0f) llama_h.llama_sampler_chain_add(chain, llama_h.llama_sampler_init_min_p(s.minP(), 1));
                llama_h.llama_sampler_chain_add(chain, llama_h.llama_sampler_init_temp(s.temperature()));
                llama_h.llama_sampler_chain_add(chain, llama_h.llama_sampler_init_dist((int) s.seed()));
            }
        }
        return new LlamaSampler(chain, grammar);
    }

    /**
     * The chain's transformations without its pick: top-k, top-p, min-p, then the temperature, as
     * {@link #create} orders them (speculative sampling needs the probabilities the pick would draw
     * from). Sampling settings only: temperature above 0, no penalties, no grammar.
     */
    public static LlamaSampler transforms(SamplerSettings s) {
        if (s.temperature() <= 0f || s.penalized() || s.constrained()) {
            throw new IllegalArgumentException("the transformations are for sampling without penalties or grammar");
        }
        NativeRuntime.get();                                  // loads libllama (no model needed)
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = llama_h.llama_sampler_chain_default_params(arena);
            llama_sampler_chain_params.no_perf(p, true);
            MemorySegment chain = llama_h.llama_sampler_chain_init(p);
            if (s.topK() > 0) llama_h.llama_sampler_chain_add(chain, llama_h.llama_sampler_init_top_k(s.topK()));
            if (s.topP() < 1f) llama_h.llama_sampler_chain_add(chain, llama_h.llama_sampler_init_top_p(s.topP(), 1));
            if (s.minP() > 0f) llama_h.llama_sampler_chain_add(chain, llama_h.llama_sampler_init_min_p(s.minP(), 1));
            llama_h.llama_sampler_chain_add(chain, llama_h.llama_sampler_init_temp(s.temperature()));
            return new LlamaSampler(chain, MemorySegment.NULL);
        }
    }

    /**
     * Applies the chain to {@code logits} without picking or accepting: the tokens it keeps go to
     * {@code ids} and their transformed logits to {@code out} (both as long as the logits); returns
     * how many it kept. The probabilities are the softmax of {@code out[0..n)}. For {@link #transforms}.
     */
    public int transform(float[] logits, int[] ids, float[] out) {
        try (Arena arena = Arena.ofConfined()) {
            long stride = llama_token_data.layout().byteSize();
            MemorySegment arr = tokenArray(arena, tokenData(arena, logits), logits.length);
            llama_h.llama_sampler_apply(handle(), arr);
            int size = (int) llama_token_data_array.size(arr);
            MemorySegment kept = llama_token_data_array.data(arr).reinterpret(size * stride); // a sampler may point elsewhere
            for (int i = 0; i < size; i++) {
                MemorySegment d = kept.asSlice(i * stride, stride);
                ids[i] = llama_token_data.id(d);
                out[i] = llama_token_data.logit(d);
            }
            return size;
        }
    }

    private static MemorySegment tokenData(Arena arena, float[] logits) {
        int n = logits.length;
        long stride = llama_token_data.layout().byteSize();
        MemorySegment data = arena.allocate(llama_token_data.layout(), n);
        for (int i = 0; i < n; i++) {
            MemorySegment d = data.asSlice(i * stride, stride);
            llama_token_data.id(d, i);
            llama_token_data.logit(d, logits[i]);
            llama_token_data.p(d, 0f);
        }
        return data;
    }

    private static MemorySegment tokenArray(Arena arena, MemorySegment data, int n) {
        MemorySegment arr = llama_token_data_array.allocate(arena);
        llama_token_data_array.data(arr, data);
        llama_token_data_array.size(arr, n);
        llama_token_data_array.selected(arr, -1L);
        llama_token_data_array.sorted(arr, false);
        return arr;
    }

    /** Samples from the logits of output {@code idx} of the context's last decode and accepts the token. */
    public int sample(LlamaContext ctx, int idx) {
        if (!grammar.equals(MemorySegment.NULL)) return sample(ctx.logits(idx));
        return llama_h.llama_sampler_sample(handle(), ctx.handle(), idx);
    }

    /**
     * Samples from logits computed elsewhere (Canopy's own engine) and accepts the token, so
     * penalties and grammars see it.
     */
    public int sample(float[] logits) {
        try (Arena arena = Arena.ofConfined()) {
            long stride = llama_token_data.layout().byteSize();
            MemorySegment data = tokenData(arena, logits);
            MemorySegment arr = tokenArray(arena, data, logits.length);
            if (!grammar.equals(MemorySegment.NULL)) llama_h.llama_sampler_apply(grammar, arr);
            llama_h.llama_sampler_apply(handle(), arr);
            long sel = llama_token_data_array.selected(arr);
            if (sel < 0 || sel >= llama_token_data_array.size(arr)) {
                throw new IllegalStateException("sampler selected no token (grammar allows none?)");
            }
            int token = data.asSlice(sel * stride, stride).get(ValueLayout.JAVA_INT, llama_token_data.id$offset());
            llama_h.llama_sampler_accept(handle(), token);
            if (!grammar.equals(MemorySegment.NULL)) llama_h.llama_sampler_accept(grammar, token);
            return token;
        }
    }

    /** Tells the penalties about a token chosen outside the chain (prompt tokens); the grammar never sees it. */
    public void accept(int token) {
        llama_h.llama_sampler_accept(handle(), token);
    }

    public void reset() {
        llama_h.llama_sampler_reset(handle());
        if (!grammar.equals(MemorySegment.NULL)) llama_h.llama_sampler_reset(grammar);
    }

    private MemorySegment handle() {
        if (chain == null) throw new IllegalStateException("sampler is closed");
        return chain;
    }

    @Override
    public void close() {
        if (chain != null) {
            llama_h.llama_sampler_free(chain);
            chain = null;
        }
        if (grammar != null && !grammar.equals(MemorySegment.NULL)) llama_h.llama_sampler_free(grammar);
        grammar = null;
    }
}
