package dev.canopy.natives.llama;

import dev.canopy.natives.NativeLog;
import dev.canopy.natives.ffi.llama_context_params;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A libllama inference context (KV cache and compute buffers) over a borrowed model. Owns the
 * native {@code llama_context}. Not thread-safe: one thread drives a context at a time.
 */
public final class LlamaContext implements AutoCloseable {
    private final LlamaModel model; // borrowed
    private MemorySegment ctx;      // owned: llama_context*, freed in close()
    private final int vocabSize;

    private LlamaContext(LlamaModel model, MemorySegment ctx) {
        this.model = model;
        this.ctx = ctx;
        this.vocabSize = model.vocab().size();
    }

    public static LlamaContext create(LlamaModel model, ContextParams params) {
        return create(model, params, p -> {});
    }

    /**
     * A context that pools each sequence's hidden states with {@code pooling} (MEAN, CLS or LAST)
     * instead of computing logits: read the result with {@link #sequenceEmbedding}. A sequence must
     * fit one decode ({@code params.batchTokens()}) to be pooled whole.
     */
    public static LlamaContext forEmbeddings(LlamaModel model, ContextParams params, Pooling pooling) {
        if (!pooling.embedsSequences()) throw new IllegalArgumentException("pooling " + pooling + " gives no sequence embedding");
        return create(model, params, p -> {
            llama_context_params.embeddings(p, true);
            llama_context_params.pooling_type(p, pooling.code());
        });
    }

    private static LlamaContext create(LlamaModel model, ContextParams params, java.util.function.Consumer<MemorySegment> extra) {
        NativeLog.drain();
        MemorySegment c;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = llama_h.llama_context_default_params(arena);
            llama_context_params.n_ctx(p, params.contextTokens());
            llama_context_params.n_batch(p, params.batchTokens());
            llama_context_params.n_ubatch(p, params.batchTokens());
            llama_context_params.n_seq_max(p, params.sequences());
            llama_context_params.n_threads(p, params.effectiveThreads());
            llama_context_params.n_threads_batch(p, params.effectiveThreads());
            llama_context_params.no_perf(p, true);
            llama_context_params.swa_full(p, params.swaFull());
            llama_context_params.op_offload(p, !model.cpuOnly());   // CPU only means CPU only
            llama_context_params.offload_kqv(p, params.kvOnGpu());
            llama_context_params.type_k(p, params.kvType());
            llama_context_params.type_v(p, params.kvType());
            if (llama_h.ggml_is_quantized(params.kvType())) {   // a quantized V is read by flash attention only
                llama_context_params.flash_attn_type(p, llama_h.LLAMA_FLASH_ATTN_TYPE_ENABLED());
            }
            extra.accept(p);
            c = llama_h.llama_init_from_model(model.handle(), p);
        }
        if (c.equals(MemorySegment.NULL)) {
            throw new ModelLoadException("llama.cpp could not create a context of " + params.contextTokens()
                    + " tokens for " + model.file().getFileName() + " (not enough memory?)" + NativeLog.drainAsSuffix());
        }
        return new LlamaContext(model, c);
    }

    public MemorySegment handle() {
        if (ctx == null) throw new IllegalStateException("context is closed");
        return ctx;
    }

    public LlamaModel model() { return model; }
    public int contextTokens() { return llama_h.llama_n_ctx(handle()); }

    /** Runs the batch; throws with llama.cpp's status on failure (1 = no KV slot, 2 = aborted, <0 = error). */
    public void decode(LlamaBatch batch) {
        int rc = llama_h.llama_decode(handle(), batch.struct());
        if (rc != 0) {
            throw new DecodeException(rc, rc == 1
                    ? "the context is full (no KV cache slot for " + batch.size() + " tokens)"
                    : "llama_decode failed with status " + rc + NativeLog.drainAsSuffix());
        }
    }

    /**
     * Decodes {@code tokens} as sequence 0 from position 0, in batches of {@code batch}'s capacity,
     * and returns the last token's logits (for benchmarks and evaluations: no cancellation).
     */
    public float[] prefill(LlamaBatch batch, int[] tokens) {
        for (int from = 0; from < tokens.length; from += batch.capacity()) {
            int to = Math.min(tokens.length, from + batch.capacity());
            batch.clear();
            for (int i = from; i < to; i++) batch.add(tokens[i], i, i == tokens.length - 1, 0);
            decode(batch);
        }
        return logits(-1);
    }

    /** Decodes one token of sequence 0 at {@code pos} and returns its logits. */
    public float[] next(LlamaBatch batch, int token, int pos) {
        batch.clear();
        batch.add(token, pos, true, 0);
        decode(batch);
        return logits(-1);
    }

    /** The logits of output row {@code i} of the last decode ({@code -1} = the last output). Copied. */
    /** Waits until every decode so far has finished computing: llama_decode may return before an async backend (a GPU, an RPC worker) is done. */
    public void synchronize() {
        llama_h.llama_synchronize(handle());
    }

    public float[] logits(int i) {
        MemorySegment p = llama_h.llama_get_logits_ith(handle(), i);
        if (p.equals(MemorySegment.NULL)) throw new IllegalArgumentException("no logits for output " + i);
        return p.reinterpret((long) vocabSize * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
    }

    /** Forgets every sequence's KV (nothing to forget for models without a KV cache, such as BERT). */
    public void clearMemory() {
        MemorySegment memory = llama_h.llama_get_memory(handle());
        if (!memory.equals(MemorySegment.NULL)) llama_h.llama_memory_clear(memory, true);
    }

    /** The pooling this context applies ({@link Pooling#NONE} for a context without embeddings). */
    public Pooling pooling() {
        return Pooling.ofCode(llama_h.llama_pooling_type(handle())).orElse(Pooling.NONE);
    }

    /**
     * Sequence {@code seq}'s pooled embedding from the last decode of a {@link #forEmbeddings} context
     * ({@link LlamaModel#embeddingOutput()} floats, as libllama computed them: not normalized). Copied.
     */
    public float[] sequenceEmbedding(int seq) {
        MemorySegment p = llama_h.llama_get_embeddings_seq(handle(), seq);
        if (p.equals(MemorySegment.NULL)) throw new IllegalStateException("no pooled embedding for sequence " + seq
                + " (pooling " + pooling() + ")" + NativeLog.drainAsSuffix());
        return p.reinterpret((long) model.embeddingOutput() * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
    }

    /** Removes positions [from, to) of a sequence ({@code to = -1}: to the end). */
    public boolean removeTokens(int seq, int from, int to) {
        return llama_h.llama_memory_seq_rm(llama_h.llama_get_memory(handle()), seq, from, to);
    }

    /** Highest position held for a sequence, or -1 when empty. */
    public int lastPosition(int seq) {
        return llama_h.llama_memory_seq_pos_max(llama_h.llama_get_memory(handle()), seq);
    }

    /**
     * Sequence {@code seq}'s state (its KV cells) serialized into memory of {@code arena}, for
     * {@link #putSequenceState} into another context of the same model (where its KV may live
     * elsewhere, e.g. on the CPU instead of the GPU).
     */
    public MemorySegment sequenceState(int seq, Arena arena) {
        long size = llama_h.llama_state_seq_get_size(handle(), seq);
        MemorySegment state = arena.allocate(Math.max(1, size), 64);
        long written = llama_h.llama_state_seq_get_data(handle(), state, size, seq);
        if (written != size) throw new IllegalStateException("llama.cpp wrote " + written + " of " + size + " bytes of sequence " + seq + "'s state");
        return state.asSlice(0, size);
    }

    /** Replaces sequence {@code seq}'s KV with a state from {@link #sequenceState}. */
    public void putSequenceState(MemorySegment state, int seq) {
        long read = llama_h.llama_state_seq_set_data(handle(), state, state.byteSize(), seq);
        if (read == 0) throw new IllegalStateException("llama.cpp could not restore a sequence state of " + state.byteSize() + " bytes"
                + " (another model, or no room in this context?)" + NativeLog.drainAsSuffix());
    }

    public void setThreads(int threads) {
        llama_h.llama_set_n_threads(handle(), threads, threads);
    }

    @Override
    public void close() {
        if (ctx != null) {
            llama_h.llama_free(ctx);
            ctx = null;
        }
    }

    /** llama_decode failed; {@link #status()} is its return code. */
    public static final class DecodeException extends RuntimeException {
        private final int status;

        public DecodeException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() { return status; }
    }
}
