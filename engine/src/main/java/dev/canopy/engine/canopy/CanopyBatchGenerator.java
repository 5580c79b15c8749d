package dev.canopy.engine.canopy;

import dev.canopy.engine.ContextFullException;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationStats;
import dev.canopy.engine.StopReason;
import dev.canopy.engine.TextStream;
import dev.canopy.engine.graph.KvSlots;
import dev.canopy.engine.kv.IswaKvCache;
import dev.canopy.engine.kv.KvCache;
import dev.canopy.engine.llama.LlamaTokenizer;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.runtime.ComputeBackends;
import dev.canopy.engine.runtime.ForwardPass;
import dev.canopy.engine.runtime.StepBuilder;
import dev.canopy.engine.sparse.SparseAttentionSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes several prompts as parallel sequences in one graph: sequence {@code s} owns the slot of
 * cells [s*stride, (s+1)*stride) of a batch KV cache, and each sequence's attention reads only its
 * own slot, through a view of it ({@link KvSlots}): every prompt is prefilled in chunks of C rows
 * over its own slot, as one by one, and then every step decodes one token of every live sequence
 * in a single forward run whose stream s attends over slot s alone (decision 0110).
 *
 * <p>Sparse attention selects over absolute cells, so it cannot read a slot's view. When its
 * budgets hold every key any sequence can see, every step would run the dense graph one by one
 * too, and the batch runs the dense slots above. Otherwise the sequences run one at a time, each
 * exactly as {@code generate} runs it, in a sequence of their own: the same work as one by one,
 * never the old masked read of every sequence's cells (decision 0135). Sliding-window layers keep
 * a ring of n_swa + C cells per sequence ({@link IswaKvCache}), as llama.cpp's iSWA cache does for
 * each of its sequences.
 */
final class CanopyBatchGenerator {
    private final CanopyInferenceModel model; // borrowed
    private final RunSettings settings;
    private final ComputeBackends backends;   // borrowed from the session

    CanopyBatchGenerator(CanopyInferenceModel model, RunSettings settings, ComputeBackends backends) {
        this.model = model;
        this.settings = settings;
        this.backends = backends;
    }

    List<GenerationResult> run(List<GenerationRequest> requests) {
        int n = requests.size();
        if (n == 0) return List.of();
        LlamaTokenizer tokenizer = model.llamaTokenizer();
        ModelHparams hp = model.hparams();
        int[][] prompts = new int[n][];
        int perSeq = 0;
        for (int i = 0; i < n; i++) {
            prompts[i] = tokenizer.encode(requests.get(i).prompt(), true);
            perSeq = Math.max(perSeq, prompts[i].length + requests.get(i).maxTokens() + 1);
        }
        if (perSeq > hp.trainContext()) throw new ContextFullException(perSeq, hp.trainContext());
        int stride = RunSettings.paddedCells(perSeq);   // whole 256-cell blocks: every decode window fits a slot

        SparseAttentionSettings attention = settings.attention();
        if (attention.mode().isSparse()) {
            if (!readsEveryKey(attention, prompts, perSeq)) return oneAtATime(requests, stride);
            attention = SparseAttentionSettings.dense();   // what every step of every sequence runs one by one
        }

        long start = System.nanoTime();
        int chunk = settings.chunkTokens();
        try (KvCache kv = IswaKvCache.allocate(backends.kvBufferTypes(), hp, stride * n, n, stride, chunk, settings.kvType());
             ForwardPass pass = new ForwardPass(hp, model.weights(), kv, backends, settings.windows(), attention)) {
            // every prompt but its last token, one sequence's chunk at a time over its own slot
            StepBuilder rows = new StepBuilder(chunk);
            for (int s = 0; s < n; s++) {
                KvSlots own = KvSlots.one(s, stride);
                for (int i = 0; i < prompts[s].length - 1; i++) {
                    rows.add(prompts[s][i], i, s * stride + i, s * stride);
                    if (rows.isFull()) {
                        if (allCancelled(requests)) return cancelled(prompts, System.nanoTime() - start);
                        pass.run(rows.take(0), chunk, 1, own);
                    }
                }
                if (rows.size() > 0) pass.run(rows.take(0), chunk, 1, own);
            }
            // then every sequence's last prompt token in one run, with all their logits: stream s
            // of the run attends over slot s
            KvSlots all = KvSlots.all(n, stride);
            StepBuilder batch = new StepBuilder(n);
            int[] pos = new int[n];
            for (int s = 0; s < n; s++) {
                pos[s] = prompts[s].length - 1;
                batch.add(prompts[s][pos[s]], pos[s], s * stride + pos[s], s * stride);
            }
            float[][] logits = pass.run(batch.take(range(n)), n, n, all);
            int[] logitRow = range(n);
            long prefillNs = System.nanoTime() - start;

            TokenSampler[] samplers = new TokenSampler[n];
            TextStream[] streams = new TextStream[n];
            List<List<Integer>> out = new ArrayList<>();
            StopReason[] reason = new StopReason[n];
            for (int s = 0; s < n; s++) {
                samplers[s] = TokenSampler.create(model.vocab(), requests.get(s).sampling());
                streams[s] = new TextStream(requests.get(s).stopStrings(), GenerationListener.NONE);
                out.add(new ArrayList<>());
            }
            long decodeStart = System.nanoTime();
            try {
                while (true) {
                    int[] row = new int[n];
                    for (int s = 0; s < n; s++) {
                        if (reason[s] != null) continue;
                        GenerationRequest r = requests.get(s);
                        if (r.cancel().isCancelled()) { reason[s] = StopReason.CANCELLED; continue; }
                        if (out.get(s).size() >= r.maxTokens()) { reason[s] = StopReason.MAX_TOKENS; continue; }
                        int token = samplers[s].sample(logits[logitRow[s]]);
                        if (tokenizer.isEndOfGeneration(token)) { reason[s] = StopReason.END_OF_TEXT; continue; }
                        out.get(s).add(token);
                        if (streams[s].add(tokenizer.piece(token))) { reason[s] = StopReason.STOP_STRING; continue; }
                        if (out.get(s).size() >= r.maxTokens()) { reason[s] = StopReason.MAX_TOKENS; continue; }
                        pos[s]++;
                        row[s] = batch.add(token, pos[s], s * stride + pos[s], s * stride);
                    }
                    if (batch.size() == 0) break;
                    logits = pass.run(batch.take(range(batch.size())), n, n, all);
                    logitRow = row;
                }
            } finally {
                for (TokenSampler t : samplers) if (t != null) t.close();
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

    /**
     * Whether one by one every step of every sequence would read all its keys: the prefill chunks'
     * budget holds the longest prompt and the decode budget the longest sequence. Sparse attention
     * then runs its dense graph at every step (ForwardPass), and so may the batch's slots.
     */
    private boolean readsEveryKey(SparseAttentionSettings attention, int[][] prompts, int perSeq) {
        int longestPrompt = 0;
        for (int[] p : prompts) longestPrompt = Math.max(longestPrompt, p.length);
        return attention.budgetFor(settings.chunkTokens()) >= longestPrompt && attention.budgetFor(1) >= perSeq;
    }

    /**
     * The sequences one after another, each as {@code generate} runs it, in one sequence of
     * {@code cells} KV cells (every prompt and its tokens fit) that is reset between them.
     */
    private List<GenerationResult> oneAtATime(List<GenerationRequest> requests, int cells) {
        RunSettings alone = new RunSettings(Math.max(cells, settings.contextTokens()), settings.chunkTokens(), settings.threads(),
                settings.kvType(), settings.windows(), settings.attention());
        List<GenerationResult> results = new ArrayList<>();
        try (CanopyGenerationSession session = new CanopyGenerationSession(model, alone)) {
            for (GenerationRequest r : requests) {
                session.reset();
                results.add(session.generate(r, GenerationListener.NONE));
            }
        }
        return results;
    }

    private static boolean allCancelled(List<GenerationRequest> requests) {
        return requests.stream().allMatch(r -> r.cancel().isCancelled());
    }

    /** Every sequence stopped before its answer: nothing generated. */
    private static List<GenerationResult> cancelled(int[][] prompts, long prefillNs) {
        List<GenerationResult> results = new ArrayList<>();
        for (int[] p : prompts) {
            results.add(new GenerationResult("", new int[0], StopReason.CANCELLED,
                    new GenerationStats(p.length, 0, prefillNs, 0, 0, 0)));
        }
        return results;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
