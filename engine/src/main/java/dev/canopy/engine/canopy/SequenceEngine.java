package dev.canopy.engine.canopy;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.kv.IswaKvCache;
import dev.canopy.engine.kv.KvCache;
import dev.canopy.engine.kv.KvOffload;
import dev.canopy.engine.kv.KvPageDamagedException;
import dev.canopy.engine.kv.TieredKvCache;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.runtime.ComputeBackends;
import dev.canopy.engine.runtime.ForwardPass;
import dev.canopy.engine.runtime.Step;
import dev.canopy.engine.sparse.AttentionPath;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.engine.weights.ModelWeights;

import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One sequence's KV cache and the token-level operations on it: fixed-chunk prefill and
 * single-token decode. Cell {@code i} of the cache holds position {@code i} (for sliding-window
 * layers, cell {@code i mod ring}: see {@link IswaKvCache}). Every prefill chunk
 * runs on the same graph of C rows (the last chunk is padded), so peak compute memory is set by C.
 * Owns its backend, cache and forward pass.
 */
public final class SequenceEngine implements AutoCloseable {
    /** What a prefill did: the last token's logits, or where it stopped when cancelled. */
    public record Prefill(float[] logits, int computedUpTo, boolean cancelled) {}

    private final ComputeBackends backends; // owned: the CPU, and the devices of the weights' split
    private final KvCache kv;          // owned
    private final ForwardPass pass;    // owned
    private final TieredKvCache tiered; // the same object as kv when the KV lives in tiers, else null
    private final int chunk;
    private final int capacity;
    private int[] history = new int[0]; // tokens whose K/V the cache holds, cell i = position i

    SequenceEngine(ModelHparams hp, ModelWeights weights, RunSettings settings) {
        this(hp, weights, settings, null, null);
    }

    /** With {@code offload} non-null, the KV lives in the tiered store (keyed by {@code modelFile}). */
    SequenceEngine(ModelHparams hp, ModelWeights weights, RunSettings settings, Path modelFile, KvOffload offload) {
        this.chunk = settings.chunkTokens();
        this.capacity = settings.contextTokens();
        hp.variant().denseOnlyReason().filter(why -> offload != null).ifPresent(why -> {
            throw new IllegalArgumentException("the tiered KV store does not run this " + hp.arch().ggufName()
                    + " model yet because of " + why + ": its KV stays in memory");
        });
        if (offload != null && !weights.split().workers().isEmpty()) throw new IllegalArgumentException(OtherComputers.NO_TIERS);
        this.backends = ComputeBackends.open(weights.split(), settings.threads());
        KvCache cache = null;
        try {
            this.tiered = offload == null ? null : TieredKvCache.create(backends.kvBufferTypes(), hp, modelFile, settings.contextTokens(),
                    settings.chunkTokens(), settings.kvType(), offload);
            int cells = RunSettings.paddedCells(settings.contextTokens());
            cache = tiered != null ? tiered                   // sliding-window layers: a ring of n_swa + C cells
                    : IswaKvCache.allocate(backends.kvBufferTypes(), hp, cells, 1, cells, settings.chunkTokens(), settings.kvType());
            this.kv = cache;
            this.pass = new ForwardPass(hp, weights, kv, backends, settings.windows(), settings.attention());
        } catch (RuntimeException e) {
            if (cache != null) cache.close();
            backends.close();
            throw e;
        }
    }

    /**
     * Computes {@code prompt[from..]} in chunks of C, attending to the cached {@code prompt[0..from)};
     * reports progress after each chunk and checks {@code cancel} between chunks. The cache then
     * holds the computed prefix (all of the prompt unless cancelled). A start the cache cannot
     * continue from ({@link #reusablePrefix}) starts from the beginning instead.
     */
    public Prefill prefill(int[] prompt, int from, CancellationToken cancel, GenerationListener listener) {
        if (from < 0 || from > history.length || from >= prompt.length) throw new IllegalArgumentException("bad prefill start " + from);
        from = reusablePrefix(from);
        history = Arrays.copyOf(history, from);
        forgetFrom(from);
        float[] logits = null;
        for (int pos = from; pos < prompt.length; pos += chunk) {
            if (cancel.isCancelled()) return new Prefill(null, pos, true);
            int end = Math.min(prompt.length, pos + chunk);
            AttentionPath path = end == prompt.length ? pass.attention().lastChunk() : AttentionPath.AS_CONFIGURED;
            logits = run(Step.causal(Arrays.copyOfRange(prompt, pos, end), pos, 0), chunk, path);
            history = Arrays.copyOf(prompt, end);
            listener.onPrefillProgress(end - from, prompt.length - from);
        }
        return new Prefill(logits, prompt.length, false);
    }

    /** Appends {@code token} at the next position and returns the logits after it. */
    public float[] decode(int token) {
        int pos = history.length;
        if (pos >= capacity) throw new IllegalStateException("the KV cache is full");
        float[] logits = run(Step.causal(new int[] {token}, pos, 0), 1);
        history = Arrays.copyOf(history, pos + 1);
        history[pos] = token;
        return logits;
    }

    /**
     * Appends {@code tokens} at the next positions in one step of {@code graphTokens} rows (the last
     * decoded token and a speculative draft behind it) and returns the logits after each of them.
     * Each row is computed as a prefill row is, independently of the rows after it, so
     * {@link #truncate} to the confirmed rows leaves exactly the cache a step of those rows alone
     * would have written (decision 0120). Only where {@link #speculationBlocker()} is empty.
     */
    public float[][] verify(int[] tokens, int graphTokens) {
        int pos = history.length, n = tokens.length;
        if (n < 1 || n > graphTokens || graphTokens > chunk) {
            throw new IllegalArgumentException("verify " + n + " tokens in a graph of " + graphTokens + " rows (chunk " + chunk + ")");
        }
        if (pos + n > capacity) throw new IllegalStateException("the KV cache is full");
        speculationBlocker().ifPresent(why -> { throw new IllegalStateException(why); });
        Step causal = Step.causal(tokens.clone(), pos, 0);
        int[] outputs = new int[n];
        for (int i = 0; i < n; i++) outputs[i] = i;
        Step step = new Step(causal.tokens(), causal.positions(), causal.cells(), causal.visibleFrom(), causal.visibleTo(), outputs);
        // sparse attention with dense decode: the rows attend to every key, as one-token steps do
        float[][] logits = pass.run(step, graphTokens, graphTokens, AttentionPath.EVERY_KEY);
        history = Arrays.copyOf(history, pos + n);
        System.arraycopy(tokens, 0, history, pos, n);
        return logits;
    }

    /**
     * Forgets every position from {@code length} on (a speculative draft's rejected rows): the
     * history, the sliding-window ring's cells and sparse attention's bookkeeping. Their KV cells
     * are never attended again (every step's rows see cells up to their own position only) and the
     * next step writes over them.
     */
    public void truncate(int length) {
        if (length < 0 || length > history.length) throw new IllegalArgumentException("bad truncation " + length);
        history = Arrays.copyOf(history, length);
        forgetFrom(length);
    }

    /**
     * Why this sequence cannot verify speculative drafts, or empty when it can: dense decode steps
     * over a KV in memory.
     */
    public java.util.Optional<String> speculationBlocker() {
        if (tiered != null) {
            return java.util.Optional.of("speculative decoding runs on a KV in memory; the KV tiers gather each step's pages");
        }
        SparseAttentionSettings a = pass.attention();
        if (a.mode().isSparse() && a.decodeBudget() != SparseAttentionSettings.DENSE_DECODE) {
            return java.util.Optional.of("speculative decoding needs dense decode steps; --decode-budget " + a.decodeBudget()
                    + " selects keys for one token at a time (use --decode-budget 0)");
        }
        return java.util.Optional.empty();
    }

    /**
     * Runs one step; when a tiered KV page turns out damaged on disk (its rows are never used), the
     * KV from that page on is recomputed from the tokens and the step runs again.
     */
    private float[] run(Step step, int graphTokens) {
        return run(step, graphTokens, AttentionPath.AS_CONFIGURED);
    }

    private float[] run(Step step, int graphTokens, AttentionPath path) {
        while (true) {
            try {
                float[] logits = pass.run(step, graphTokens, 1, path)[0];
                if (tiered != null) tiered.rememberLogits(logits);
                return logits;
            } catch (KvPageDamagedException e) {
                int to = step.positions()[0];
                int[] text = Arrays.copyOf(history, to);
                forgetFrom(e.firstPosition());
                for (int pos = e.firstPosition(); pos < to; pos += chunk) {
                    int end = Math.min(to, pos + chunk);
                    run(Step.causal(Arrays.copyOfRange(text, pos, end), pos, 0), chunk);
                }
            }
        }
    }

    /**
     * Forgets every position from {@code length} on wherever it is remembered: sparse attention's
     * chunk boundaries, the sliding-window ring, the tiered KV's pages.
     */
    private void forgetFrom(int length) {
        pass.truncate(0, length);
        if (kv.swaRing() != null) kv.swaRing().truncate(0, length);
        if (tiered != null) tiered.truncate(length);
    }

    /**
     * Tiered KV only, before the first step: continues the conversation's saved KV for
     * {@code tokens} (the longest common prefix whose pages are intact). Returns the tokens the
     * cache then holds (0 for a dense cache or nothing saved).
     */
    public int resume(int[] tokens) {
        if (tiered == null || history.length > 0) return history.length;
        int held = tiered.resume(tokens);
        history = Arrays.copyOf(tokens, held);
        return held;
    }

    /** The logits after the whole history when known without a step (a resumed tiered KV), else null. */
    public float[] logitsAfterHistory() {
        return tiered == null ? null : tiered.logitsAfter(history.length);
    }

    /** The tiered KV under this sequence, or null when the KV is one dense buffer. */
    public TieredKvCache tieredKv() { return tiered; }

    /**
     * How much of the first {@code tokens} cached tokens a prefill can keep: all of them, unless the
     * sliding-window layers' ring has already overwritten keys the next token would see (a session
     * cut back further than the ring reaches); then nothing, as every later position depends on
     * those keys through the layers above and no earlier point can be continued either.
     */
    public int reusablePrefix(int tokens) {
        int n = Math.min(tokens, history.length);
        return kv.swaRing() == null || kv.swaRing().continuable(0, n) ? n : 0;
    }

    /**
     * The K ({@code keys}) or V rows of layer {@code il} for cells [0, cells) as bytes (tests: the
     * KV after speculative steps against the KV without).
     */
    byte[] kvRows(int il, boolean keys, int cells) {
        MemorySegment t = keys ? kv.keys(il) : kv.values(il);        // [kvWidth, cells + 1]
        long bytes = cells * Tensors.nb(t, 1);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(bytes);
            llama_h.ggml_backend_tensor_get(t, host, 0, bytes);
            return host.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** Whether layer {@code il} keeps a sliding-window ring instead of the context's cells. */
    boolean ringLayer(int il) {
        return kv.swaRing() != null && pass.hparams().variant().isSwa(il);
    }

    /** Bytes of KV cache held (both halves of an iSWA cache). */
    public long kvBytes() { return kv.bytes(); }

    /** Ring cells of the sliding-window layers, or 0 when they keep the whole context (or none slides). */
    public int swaCells() { return kv.swaRing() == null ? 0 : kv.swaRing().cells(); }

    /** Tokens whose KV the cache holds, in order. */
    public int[] history() { return history.clone(); }
    public int used() { return history.length; }
    public int capacity() { return capacity; }
    public int chunkTokens() { return chunk; }

    /** Forgets the cached tokens (the cells are overwritten by the next prefill). */
    public void reset() {
        history = new int[0];
        forgetFrom(0);
    }

    /** Bytes of the prefill chunk graph's compute buffer (reserving it when not yet used). */
    public long prefillComputeBytes() { return pass.reserve(chunk, 1); }

    /** Prefill graphs built so far (one per KV window bucket). */
    public int prefillGraphsBuilt() { return pass.graphsBuilt(chunk, 1); }

    /** The cells layer {@code il} attended to in the last step, or null when it was dense (tests, diagnostics). */
    public int[] lastSelection(int il) { return pass.lastSelection(il); }

    /** Parts the last step's graph ran in (1 on the CPU alone; more across a GPU and the CPU). */
    public int lastSplits() { return pass.lastSplits(); }

    /** The DHSA chunk starts found so far (empty unless the attention is dhsa). */
    public int[] chunkStarts() { return pass.chunkStarts(0); }

    /** The attention this sequence runs. */
    public SparseAttentionSettings attention() { return pass.attention(); }

    ComputeBackends backends() { return backends; }

    @Override
    public void close() {
        pass.close();
        kv.close();
        backends.close();
    }
}
