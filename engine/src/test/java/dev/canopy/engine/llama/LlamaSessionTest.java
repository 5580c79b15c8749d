package dev.canopy.engine.llama;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.ContextFullException;
import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.StopReason;
import dev.canopy.engine.testing.BatchChecks;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Session semantics on the llama.cpp path: KV reuse across turns, cancellation, limits, batches. */
class LlamaSessionTest {
    @TempDir
    static Path dir;
    static InferenceModel model;

    @BeforeAll
    static void load() throws Exception {
        Path file = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny.gguf"));
        model = Engines.load(file, EngineOptions.defaults().withEngine(EngineKind.LLAMA).withContext(512).withChunk(16).withThreads(2));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aFollowUpOnlyPrefillsTheNewTokens() {
        try (GenerationSession s = model.openSession()) {
            String turn1 = "The garden is green and the river is blue.";
            GenerationResult first = s.generate(GenerationRequest.greedy(turn1, 4), GenerationListener.NONE);
            int held = s.usedTokens();
            String turn2 = turn1 + first.text() + " Tell me more about the garden.";
            GenerationResult second = s.generate(GenerationRequest.greedy(turn2, 4), GenerationListener.NONE);
            int newTokens = second.stats().promptTokens() - held;
            assertThat(second.stats().prefilledTokens()).isLessThanOrEqualTo(newTokens + 2).isLessThan(second.stats().promptTokens());
        }
    }

    @Test
    void reusedKvGivesTheSameAnswerAsAFreshSession() {
        String prompt = "Once upon a time there was a small village by the sea.";
        GenerationResult fresh;
        try (GenerationSession s = model.openSession()) {
            fresh = s.generate(GenerationRequest.greedy(prompt, 12), GenerationListener.NONE);
        }
        try (GenerationSession s = model.openSession()) {
            s.generate(GenerationRequest.greedy(prompt.substring(0, 20), 3), GenerationListener.NONE);
            GenerationResult reused = s.generate(GenerationRequest.greedy(prompt, 12), GenerationListener.NONE);
            assertThat(reused.tokens()).containsExactly(fresh.tokens());
        }
    }

    @Test
    void cancellingDuringPrefillStopsBetweenChunksAndTheSessionStaysUsable() {
        try (GenerationSession s = model.openSession()) {
            CancellationToken cancel = new CancellationToken();
            int[] progressCalls = {0};
            String longPrompt = "The old house sees the quiet river. ".repeat(20);
            GenerationResult r = s.generate(GenerationRequest.greedy(longPrompt, 4).withCancel(cancel), new GenerationListener() {
                @Override public void onPrefillProgress(int done, int total) {
                    progressCalls[0]++;
                    if (done >= 32) cancel.cancel();
                }
            });
            assertThat(r.stopReason()).isEqualTo(StopReason.CANCELLED);
            assertThat(progressCalls[0]).isEqualTo(2); // chunks of 16: cancelled after the second
            GenerationResult after = s.generate(GenerationRequest.greedy("Hello", 4), GenerationListener.NONE);
            assertThat(after.tokens()).hasSize(4);
        }
    }

    @Test
    void maxTokensIsReportedNotSilent() {
        try (GenerationSession s = model.openSession()) {
            GenerationResult r = s.generate(GenerationRequest.greedy("Hello", 5), GenerationListener.NONE);
            assertThat(r.tokens()).hasSize(5);
            assertThat(r.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
            assertThat(r.complete()).isFalse();
        }
    }

    @Test
    void aPromptLongerThanTheContextIsAClearError() {
        try (GenerationSession s = model.openSession()) {
            assertThatThrownBy(() -> s.generate(GenerationRequest.greedy("word ".repeat(600), 4), GenerationListener.NONE))
                    .isInstanceOf(ContextFullException.class).hasMessageContaining("context window holds 512");
        }
    }

    @Test
    void batchedSequencesMatchOneAtATime() {
        List<String> prompts = List.of("The red house", "A quiet river flows", "Green fields and tall towers");
        try (GenerationSession s = model.openSession()) {
            List<GenerationResult> batch = s.generateBatch(prompts.stream().map(p -> GenerationRequest.greedy(p, 6)).toList());
            assertThat(batch).hasSize(3);
            for (int i = 0; i < prompts.size(); i++) {
                try (GenerationSession single = model.openSession()) {
                    GenerationResult one = single.generate(GenerationRequest.greedy(prompts.get(i), 6), GenerationListener.NONE);
                    assertThat(batch.get(i).tokens()).as("sequence %d", i).containsExactly(one.tokens());
                }
            }
        }
    }

    @Test
    void aBatchBeyondTheTrainedContextIsAClearErrorAndAnEmptyBatchIsEmpty() {
        try (GenerationSession s = model.openSession()) {
            BatchChecks.assertEmptyIsEmptyAndTooLongIsAClearError(s);
        }
    }
}
