package dev.canopy.engine.batch;

import dev.canopy.engine.BatchStats;
import dev.canopy.engine.ContextFullException;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationStats;
import dev.canopy.engine.PooledSequence;
import dev.canopy.engine.SequencePool;
import dev.canopy.engine.StopReason;
import dev.canopy.engine.TextStream;
import dev.canopy.engine.llama.LlamaTokenizer;
import dev.canopy.natives.llama.LlamaVocab;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one batch decode loop of both engines (decision 0140): sequences join a slot of a
 * {@link SlotKv}, their prompts are prefilled into their own slots, each step decodes one token of
 * every live sequence in one forward pass, each sequence samples with its own sampler and streams its
 * own text, and sequences leave when they finish or are cancelled. The fixed batches of
 * {@code GenerationSession.generateBatch} ({@link #runToEnd}) and the local API's concurrent answers
 * run on it. The per-token checks are those of one-by-one generation: cancellation, the token limit,
 * end of text, stop strings, a full slot. Owns the slot cache; not thread-safe.
 */
public final class StepLoop implements SequencePool {
    /** How prompts are prefilled against decoding. */
    public enum PrefillPace {
        /** Every joined prompt is prefilled before the step decodes (a fixed batch: the fewest decode passes). */
        ALL_BEFORE_DECODE,
        /** One prefill pass per step, then the decode pass (serving: a long prompt does not stall the others' tokens). */
        ONE_PASS_PER_STEP
    }

    /** Whether the prompt's last tokens count for repetition penalties, as in {@code GenerationSession.generate}. */
    public enum PromptPenalties {
        /** The last 64 prompt tokens are fed to the sampler first (one-by-one generation does this). */
        COUNTED,
        /** Only the answer's tokens are penalized (what fixed batches have always done). */
        NOT_COUNTED
    }

    private static final int PENALTY_PROMPT_TOKENS = 64;

    private final SlotKv kv;                 // owned
    private final LlamaTokenizer tokenizer;  // borrowed
    private final LlamaVocab vocab;          // borrowed
    private final PrefillPace pace;
    private final int capacity;              // tokens a sequence may hold (prompt and answer)
    private final Seq[] bySlot;
    private final HeldTokens[] held;         // per slot: the tokens whose KV it holds
    private final ArrayDeque<Seq> prefilling = new ArrayDeque<>();
    private long decodePasses, multiPasses, decodedTokens, prefillPasses;
    private int mostSequences;

    /**
     * @param capacity tokens a sequence may hold, at most the slot's cells (a session's context: the
     *                 slot's cells are rounded up to 256)
     */
    public StepLoop(SlotKv kv, LlamaTokenizer tokenizer, LlamaVocab vocab, PrefillPace pace, int capacity) {
        if (capacity < 1 || capacity > kv.slotTokens()) {
            kv.close();
            throw new IllegalArgumentException("a sequence of " + capacity + " tokens in slots of " + kv.slotTokens());
        }
        this.kv = kv;
        this.tokenizer = tokenizer;
        this.vocab = vocab;
        this.pace = pace;
        this.capacity = capacity;
        this.bySlot = new Seq[kv.slots()];
        this.held = new HeldTokens[kv.slots()];
        for (int i = 0; i < held.length; i++) held[i] = new HeldTokens();
    }

    @Override public int slots() { return bySlot.length; }
    @Override public int slotTokens() { return capacity; }
    @Override public int[] held(int slot) { return held[slot].toArray(); }

    @Override
    public PooledSequence join(int slot, GenerationRequest request, GenerationListener listener) {
        return join(slot, request, tokenizer.encode(request.prompt(), true), listener, PromptPenalties.COUNTED);
    }

    /** As {@link #join(int, GenerationRequest, GenerationListener)} with the prompt already tokenized. */
    public PooledSequence join(int slot, GenerationRequest request, int[] prompt, GenerationListener listener,
                               PromptPenalties penalties) {
        if (slot < 0 || slot >= bySlot.length) throw new IllegalArgumentException("no slot " + slot);
        if (bySlot[slot] != null) throw new IllegalStateException("slot " + slot + " is taken");
        if (prompt.length == 0) throw new IllegalArgumentException("an empty prompt");
        if (prompt.length >= capacity) throw new ContextFullException(prompt.length + 1, capacity);
        // the last prompt token always runs in a decode pass: its logits come with the others' tokens
        int keep = held[slot].commonPrefix(prompt, prompt.length - 1);
        if (!kv.continuable(slot, keep)) keep = 0;
        kv.truncate(slot, keep);
        held[slot].set(prompt, keep);
        Seq s = new Seq(slot, request, prompt, keep, listener);
        if (penalties == PromptPenalties.COUNTED) {
            for (int i = Math.max(0, prompt.length - PENALTY_PROMPT_TOKENS); i < prompt.length; i++) s.sampler.accept(prompt[i]);
        }
        bySlot[slot] = s;
        if (keep < prompt.length - 1) prefilling.add(s);
        return s;
    }

    /**
     * Runs {@code requests} (tokenized as {@code prompts}) in slots 0..n-1 until all have finished
     * and returns their results in order: a fixed batch.
     */
    public List<GenerationResult> runToEnd(List<GenerationRequest> requests, int[][] prompts, PromptPenalties penalties) {
        List<PooledSequence> seqs = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            seqs.add(join(i, requests.get(i), prompts[i], GenerationListener.NONE, penalties));
        }
        while (step()) {
            // each step decodes every live sequence
        }
        return seqs.stream().map(PooledSequence::result).toList();
    }

    @Override
    public boolean step() {
        boolean worked = false;
        for (Seq s : bySlot) if (s != null && s.request.cancel().isCancelled()) s.finish(StopReason.CANCELLED);
        if (pace == PrefillPace.ALL_BEFORE_DECODE) {
            while (!prefilling.isEmpty()) worked |= prefillPass();
        } else if (!prefilling.isEmpty()) {
            worked |= prefillPass();
        }
        return decodePass() || worked;
    }

    @Override
    public boolean idle() {
        for (Seq s : bySlot) if (s != null) return false;
        return true;
    }

    @Override
    public BatchStats stats() {
        return new BatchStats(decodePasses, multiPasses, decodedTokens, prefillPasses, mostSequences);
    }

    /** One prefill pass: the next chunk of the first joining sequence, or (packed) up to a chunk of several. */
    private boolean prefillPass() {
        List<SlotKv.PromptPart> parts = new ArrayList<>();
        List<Seq> advanced = new ArrayList<>();
        int room = kv.chunkTokens();
        for (Seq s : prefilling) {
            if (room == 0 || (!parts.isEmpty() && kv.packing() == SlotKv.Packing.ONE_SEQUENCE)) break;
            if (s.request.cancel().isCancelled()) continue;   // leaves below, before its next chunk
            int end = Math.min(s.prompt.length - 1, s.next + room);
            parts.add(new SlotKv.PromptPart(s.slot, Arrays.copyOfRange(s.prompt, s.next, end), s.next));
            room -= end - s.next;
            advanced.add(s);
        }
        for (Seq s : List.copyOf(prefilling)) if (s.request.cancel().isCancelled()) s.finish(StopReason.CANCELLED);
        if (parts.isEmpty()) return false;
        kv.prefill(parts);
        prefillPasses++;
        for (int i = 0; i < parts.size(); i++) {
            Seq s = advanced.get(i);
            s.next += parts.get(i).tokens().length;
            held[s.slot].set(s.prompt, s.next);
            s.listener.onPrefillProgress(s.next - s.keep, s.prompt.length - s.keep);
            if (s.next == s.prompt.length - 1) prefilling.remove(s);
        }
        return true;
    }

    /** One forward pass decoding the pending token of every live sequence past its prefill, then their samples. */
    private boolean decodePass() {
        List<Seq> rows = new ArrayList<>();
        for (Seq s : bySlot) if (s != null && s.next == s.prompt.length - 1) rows.add(s);
        if (rows.isEmpty()) return false;
        int n = rows.size();
        int[] slots = new int[n], tokens = new int[n], positions = new int[n];
        for (int i = 0; i < n; i++) {
            Seq s = rows.get(i);
            slots[i] = s.slot;
            tokens[i] = s.pending();
            positions[i] = held[s.slot].length();
        }
        float[][] logits = kv.decode(slots, tokens, positions);
        decodePasses++;
        decodedTokens += n;
        if (n > 1) multiPasses++;
        mostSequences = Math.max(mostSequences, n);
        for (int i = 0; i < n; i++) {
            Seq s = rows.get(i);
            held[s.slot].append(tokens[i]);
            s.sample(logits[i]);
        }
        return true;
    }

    /** One live sequence: its prompt, where its prefill stands, its sampler and text, and its answer so far. */
    private final class Seq implements PooledSequence {
        final int slot;
        final GenerationRequest request;
        final int[] prompt;
        final int keep;                        // prompt tokens whose KV the slot already held
        final GenerationListener listener;
        final TokenSampler sampler;            // owned until the sequence leaves
        final TextStream stream;
        final long start = System.nanoTime();
        int next;                              // next prompt position to prefill (prompt.length - 1: done)
        int[] out = new int[16];
        int generated;
        long prefillNs = -1, firstTokenNs;
        volatile GenerationResult result;      // written last: a thread seeing it sees the text handed out before

        Seq(int slot, GenerationRequest request, int[] prompt, int keep, GenerationListener listener) {
            this.slot = slot;
            this.request = request;
            this.prompt = prompt;
            this.keep = keep;
            this.next = keep;
            this.listener = listener;
            this.sampler = TokenSampler.create(vocab, request.sampling());
            this.stream = new TextStream(request.stopStrings(), listener);
        }

        /** The token the next decode pass computes: the prompt's last, then the last sampled. */
        int pending() {
            return generated == 0 ? prompt[prompt.length - 1] : out[generated - 1];
        }

        /** Picks the next token from {@code logits} with one-by-one generation's checks; it may leave. */
        void sample(float[] logits) {
            if (prefillNs < 0) prefillNs = System.nanoTime() - start;
            if (request.cancel().isCancelled()) { finish(StopReason.CANCELLED); return; }
            if (generated >= request.maxTokens()) { finish(StopReason.MAX_TOKENS); return; }
            int token = sampler.sample(logits);
            if (firstTokenNs == 0) firstTokenNs = System.nanoTime() - start;
            if (tokenizer.isEndOfGeneration(token)) { finish(StopReason.END_OF_TEXT); return; }
            if (generated == out.length) out = Arrays.copyOf(out, 2 * out.length);
            out[generated++] = token;
            if (stream.add(tokenizer.piece(token))) { finish(StopReason.STOP_STRING); return; }
            if (held[slot].length() >= capacity) { finish(StopReason.CONTEXT_FULL); return; }
            if (generated >= request.maxTokens()) finish(StopReason.MAX_TOKENS);
        }

        /** Leaves the pool: the slot is free, its KV stays for a later prompt sharing its prefix. */
        void finish(StopReason reason) {
            if (result != null) return;
            stream.finish();
            sampler.close();
            long now = System.nanoTime() - start;
            long prefill = prefillNs < 0 ? now : prefillNs;
            int prefilled = prefillNs < 0 ? next - keep : prompt.length - keep;
            int[] tokens = Arrays.copyOf(out, generated);
            result = new GenerationResult(stream.text(), tokens, reason, new GenerationStats(prompt.length, prefilled,
                    prefill, tokens.length, now - prefill, firstTokenNs));
            bySlot[slot] = null;
            prefilling.remove(this);
        }

        @Override public int slot() { return slot; }
        @Override public boolean finished() { return result != null; }

        @Override
        public GenerationResult result() {
            if (result == null) throw new IllegalStateException("sequence in slot " + slot + " is still running");
            return result;
        }
    }

    /** A slot's tokens, grown in place: a decode pass appends one without copying the rest. */
    private static final class HeldTokens {
        private int[] tokens = new int[0];
        private int length;

        int length() { return length; }
        int[] toArray() { return Arrays.copyOf(tokens, length); }

        /** The first {@code n} of {@code from}. */
        void set(int[] from, int n) {
            if (tokens.length < n) tokens = Arrays.copyOf(from, Math.max(n, 2 * tokens.length));
            else System.arraycopy(from, 0, tokens, 0, n);
            length = n;
        }

        void append(int token) {
            if (length == tokens.length) tokens = Arrays.copyOf(tokens, Math.max(16, 2 * length));
            tokens[length++] = token;
        }

        /** How many leading tokens this shares with {@code other}, at most {@code limit}. */
        int commonPrefix(int[] other, int limit) {
            int n = Math.min(Math.min(length, other.length), limit), i = 0;
            while (i < n && tokens[i] == other[i]) i++;
            return i;
        }
    }

    @Override
    public void close() {
        for (Seq s : bySlot) if (s != null) s.finish(StopReason.CANCELLED);
        kv.close();
    }
}
