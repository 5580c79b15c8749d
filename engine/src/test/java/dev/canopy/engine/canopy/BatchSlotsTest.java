package dev.canopy.engine.canopy;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.StopReason;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.llama.SamplerSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A batch reads each sequence's own KV slot (decision 0110): its greedy tokens equal one-by-one
 * generation token for token, for prompts of several chunks and of one token's difference, for
 * sequences that stop at different steps (their streams run on as padding), on every architecture
 * the engine builds (gemma's sliding-window rings wrap) and on the trained passkey model.
 */
class BatchSlotsTest {
    private static final Path PASSKEY = Path.of("../../shared/models/passkey-llama-6l-384.gguf");
    private static final String STORY = "Once upon a time, in a small village by the sea, there lived an old fisherman who had a"
            + " daughter, a cat, three boats and a garden full of tomatoes. Every morning he walked down to the harbor,"
            + " greeted the baker and the priest, and checked the nets that his neighbors had mended the night before.";

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3", "phi3", "gemma2", "gemma3"})
    void batchEqualsOneByOne(String arch) {
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(1024).withChunk(32);
        try (InferenceModel m = Engines.load(TinyModelFiles.get(arch, GgmlType.F32), options)) {
            List<GenerationRequest> requests = List.of(
                    GenerationRequest.greedy(STORY + STORY, 10),             // several chunks, rings wrap
                    GenerationRequest.greedy("The weather today is", 3),     // stops first: its stream pads
                    GenerationRequest.greedy(STORY, 14),
                    GenerationRequest.greedy(STORY + " In the evening", 7));
            assertBatchEqualsOneByOne(m, requests);
        }
    }

    /**
     * Sparse attention whose budgets cannot hold the prompts selects over absolute cells: the batch
     * runs its sequences one at a time, as one by one does (decision 0135), and equals it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dhsa", "topk", "window"})
    void sparseBatchBeyondTheBudgetEqualsOneByOne(String mode) {
        SparseAttentionSettings sparse = SparseAttentionSettings.of(AttentionMode.parse(mode))
                .withSinkAndWindow(32, 32).withBudget(128).withDecodeBudget(96);
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(1024).withChunk(32).withAttention(sparse);
        try (InferenceModel m = Engines.load(TinyModelFiles.get("llama", GgmlType.F32), options)) {
            assertBatchEqualsOneByOne(m, List.of(
                    GenerationRequest.greedy(STORY + STORY + STORY, 9),      // several chunks beyond the budget
                    GenerationRequest.greedy("The weather today is", 3),
                    GenerationRequest.greedy(STORY + STORY, 6)));
        }
    }

    /** Sparse attention whose budgets hold every key: each step is dense one by one, and the batch runs its slots. */
    @Test
    void sparseBatchWithinTheBudgetEqualsOneByOne() {
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(1024).withChunk(32)
                .withAttention(SparseAttentionSettings.of(AttentionMode.DHSA));
        try (InferenceModel m = Engines.load(TinyModelFiles.get("qwen3", GgmlType.F32), options)) {
            assertBatchEqualsOneByOne(m, List.of(
                    GenerationRequest.greedy(STORY + STORY, 10),
                    GenerationRequest.greedy("The weather today is", 3),
                    GenerationRequest.greedy(STORY, 7)));
        }
    }

    /** A batch whose every request is cancelled (memory extraction giving way) stops between prefill chunks. */
    @Test
    void cancelledBatchStopsBeforeItsPrefill() {
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(1024).withChunk(32);
        CancellationToken cancel = new CancellationToken();
        cancel.cancel();
        try (InferenceModel m = Engines.load(TinyModelFiles.get("llama", GgmlType.F32), options);
             GenerationSession s = m.openSession()) {
            List<GenerationResult> batch = s.generateBatch(List.of(
                    new GenerationRequest(STORY + STORY, 8, SamplerSettings.greedy(), List.of(), cancel),
                    new GenerationRequest(STORY, 8, SamplerSettings.greedy(), List.of(), cancel)));
            assertThat(batch).hasSize(2).allSatisfy(r -> {
                assertThat(r.stopReason()).isEqualTo(StopReason.CANCELLED);
                assertThat(r.tokens()).isEmpty();
                assertThat(r.stats().prefilledTokens()).as("no chunk ran").isZero();
            });
        }
    }

    @Test
    void passkeyModelBatchEqualsOneByOne() {
        assertPasskeyBatchEqualsOneByOne(new int[] {700, 90, 400}, new int[] {8, 12, 5}, 0);
    }

    /**
     * Prompts of very different lengths (about 1.5K tokens next to a few): each sequence reads its own
     * slot only, the short ones stop early, and the batch still equals one by one token for token (0190).
     */
    @Test
    void passkeyModelBatchOfVeryDifferentLengthsEqualsOneByOne() {
        assertPasskeyBatchEqualsOneByOne(new int[] {1400, 8, 600, 48}, new int[] {6, 12, 4, 9}, 10);
    }

    /** Prompts of {@code words[i]} filler words (seed {@code seed + i}) generating {@code tokens[i]} each, on the passkey model. */
    private static void assertPasskeyBatchEqualsOneByOne(int[] words, int[] tokens, int seed) {
        assumeTrue(Files.exists(PASSKEY), "passkey model not present");
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(2048).withChunk(256);
        try (InferenceModel m = Engines.load(PASSKEY, options)) {
            List<GenerationRequest> requests = new ArrayList<>();
            for (int i = 0; i < words.length; i++) requests.add(GenerationRequest.greedy(filler(words[i], seed + i), tokens[i]));
            assertBatchEqualsOneByOne(m, requests);
        }
    }

    private static void assertBatchEqualsOneByOne(InferenceModel m, List<GenerationRequest> requests) {
        List<GenerationResult> batch;
        try (GenerationSession s = m.openSession()) {
            batch = s.generateBatch(requests);
        }
        assertThat(batch).hasSize(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            try (GenerationSession s = m.openSession()) {
                GenerationResult alone = s.generate(requests.get(i), GenerationListener.NONE);
                assertThat(alone.tokens()).as("sequence %d generates", i).isNotEmpty();
                assertThat(batch.get(i).tokens()).as("sequence %d", i).containsExactly(alone.tokens());
                assertThat(batch.get(i).stopReason()).as("sequence %d", i).isEqualTo(alone.stopReason());
            }
        }
    }

    /** Passkey-style sentences ("the old house sees the red river .") in the model's own words. */
    private static String filler(int words, long seed) {
        String[] adjectives = {"old", "new", "big", "small", "red", "blue", "green", "dark"};
        String[] nouns = {"house", "river", "garden", "window", "table", "mountain", "forest"};
        String[] verbs = {"sees", "finds", "builds", "leaves"};
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < words; w += 8) {
            b.append("the ").append(adjectives[r.nextInt(adjectives.length)]).append(' ').append(nouns[r.nextInt(nouns.length)])
                    .append(' ').append(verbs[r.nextInt(verbs.length)]).append(" the ").append(adjectives[r.nextInt(adjectives.length)])
                    .append(' ').append(nouns[r.nextInt(nouns.length)]).append(" . ");
        }
        return b.toString().trim();
    }
}
