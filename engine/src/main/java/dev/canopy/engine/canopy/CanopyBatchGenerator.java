package dev.canopy.engine.canopy;

import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.batch.BatchPrompts;
import dev.canopy.engine.batch.StepLoop;
import dev.canopy.engine.graph.KvSlots;
import dev.canopy.engine.kv.IswaKvCache;
import dev.canopy.engine.llama.LlamaTokenizer;
import dev.canopy.engine.runtime.ComputeBackends;
import dev.canopy.engine.sparse.SparseAttentionSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes several prompts as parallel sequences in one graph: sequence {@code s} owns the slot of
 * cells [s*stride, (s+1)*stride) of a batch KV cache, and each sequence's attention reads only its
 * own slot, through a view of it ({@link KvSlots}): every prompt is prefilled in chunks of C rows
 * over its own slot, as one by one, and then every step decodes one token of every live sequence
 * in a single forward run whose stream s attends over slot s alone (decision 0110). The loop is the
 * step loop the local API's concurrent answers run on ({@link StepLoop}, decision 0140), with every
 * prompt prefilled before the first decode pass.
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
        LlamaTokenizer tokenizer = model.llamaTokenizer();
        BatchPrompts batch = BatchPrompts.encode(tokenizer, requests).requireFits(model.hparams().trainContext());
        if (batch.isEmpty()) return List.of();
        int n = requests.size();
        int[][] prompts = batch.prompts();
        int perSeq = batch.cells();
        int stride = RunSettings.paddedCells(perSeq);   // whole 256-cell blocks: every decode window fits a slot

        SparseAttentionSettings attention = settings.attention();
        if (attention.mode().isSparse()) {
            if (!readsEveryKey(attention, prompts, perSeq)) return oneAtATime(requests, stride);
            attention = SparseAttentionSettings.dense();   // what every step of every sequence runs one by one
        }

        CanopySlotKv slots = CanopySlotKv.open(model, settings.withAttention(attention), backends, null, n, stride);
        try (StepLoop loop = new StepLoop(slots, tokenizer, model.vocab(), StepLoop.PrefillPace.ALL_BEFORE_DECODE, stride)) {
            return loop.runToEnd(requests, prompts, StepLoop.PromptPenalties.NOT_COUNTED);
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
}
