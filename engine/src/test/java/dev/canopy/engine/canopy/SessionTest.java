package dev.canopy.engine.canopy;

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
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.gguf.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Conversation semantics of the Canopy session: prefix reuse, cancellation, stops, context limits, batches. */
class SessionTest {
    private static final String STORY = "Once upon a time, in a small village by the sea, there lived an old fisherman who had a"
            + " daughter, a cat, three boats and a garden full of tomatoes. Every morning he walked down to the harbor,"
            + " greeted the baker and the priest, and checked the nets that his neighbors had mended the night before.";
    private static InferenceModel model;

    @BeforeAll
    static void load() {
        model = Engines.load(TinyModelFiles.get("llama", GgmlType.F32),
                EngineOptions.defaults().withThreads(2).withContext(512).withChunk(32));
        assertThat(model.engine()).isEqualTo(EngineKind.CANOPY);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static GenerationResult fresh(String prompt, int maxTokens) {
        try (GenerationSession s = model.openSession()) {
            return s.generate(GenerationRequest.greedy(prompt, maxTokens), GenerationListener.NONE);
        }
    }

    @Test
    void followUpPrefillsOnlyTheNewMessageAndMatchesAFreshSession() {
        try (GenerationSession s = model.openSession()) {
            GenerationResult first = s.generate(GenerationRequest.greedy(STORY, 8), GenerationListener.NONE);
            assertThat(s.usedTokens()).isEqualTo(first.stats().promptTokens() + first.tokens().length - 1);
            String followUp = STORY + first.text() + " Then the fisherman said:";
            GenerationResult second = s.generate(GenerationRequest.greedy(followUp, 8), GenerationListener.NONE);
            assertThat(second.stats().prefilledTokens()).isLessThan(second.stats().promptTokens() / 3);
            assertThat(second.tokens()).containsExactly(fresh(followUp, 8).tokens());
        }
    }

    @Test
    void cancellationMidPrefillLeavesTheSessionUsable() {
        String prompt = STORY + " " + STORY;
        CancellationToken cancel = new CancellationToken();
        try (GenerationSession s = model.openSession()) {
            GenerationResult cancelled = s.generate(GenerationRequest.greedy(prompt, 8).withCancel(cancel), new GenerationListener() {
                @Override public void onPrefillProgress(int done, int total) { if (done >= 64) cancel.cancel(); }
            });
            assertThat(cancelled.stopReason()).isEqualTo(StopReason.CANCELLED);
            assertThat(cancelled.stats().prefilledTokens()).isEqualTo(64).isLessThan(cancelled.stats().promptTokens());
            assertThat(s.usedTokens()).isEqualTo(64);

            GenerationResult again = s.generate(GenerationRequest.greedy(prompt, 8), GenerationListener.NONE);
            assertThat(again.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
            assertThat(again.stats().prefilledTokens()).isEqualTo(again.stats().promptTokens() - 64);
            assertThat(again.tokens()).containsExactly(fresh(prompt, 8).tokens());
        }
    }

    @Test
    void maxTokensStopStringsAndStreaming() {
        GenerationResult full = fresh(STORY, 24);
        assertThat(full.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(full.tokens()).hasSize(24);
        assertThat(full.stats().decodeTokensPerSecond()).isPositive();

        String stop = full.text().substring(full.text().length() / 2, full.text().length() / 2 + 3);
        StringBuilder streamed = new StringBuilder();
        try (GenerationSession s = model.openSession()) {
            GenerationResult stopped = s.generate(GenerationRequest.greedy(STORY, 24).withStops(List.of(stop)),
                    new GenerationListener() {
                        @Override public void onText(String delta) { streamed.append(delta); }
                    });
            assertThat(stopped.stopReason()).isEqualTo(StopReason.STOP_STRING);
            assertThat(stopped.text()).isEqualTo(full.text().substring(0, full.text().indexOf(stop)));
            assertThat(streamed.toString()).isEqualTo(stopped.text());
        }
    }

    @Test
    void contextFullIsReportedClearly() {
        try (InferenceModel small = Engines.load(TinyModelFiles.get("llama", GgmlType.F32),
                EngineOptions.defaults().withThreads(2).withContext(64).withChunk(16));
             GenerationSession s = small.openSession()) {
            assertThat(s.contextTokens()).isEqualTo(64);
            assertThatThrownBy(() -> s.generate(GenerationRequest.greedy(STORY, 4), GenerationListener.NONE))
                    .isInstanceOf(ContextFullException.class).hasMessageContaining("context window");
            String shortPrompt = "Once upon a time, in a small village by the sea, there lived an old fisherman";
            GenerationResult r = s.generate(GenerationRequest.greedy(shortPrompt, 100), GenerationListener.NONE);
            assertThat(r.stopReason()).isEqualTo(StopReason.CONTEXT_FULL);
            assertThat(s.usedTokens()).isEqualTo(64);
        }
    }

    @Test
    void batchOfSequencesMatchesSeparateGenerations() {
        List<String> prompts = List.of(STORY, "The weather today is", STORY + " In the evening");
        try (GenerationSession s = model.openSession()) {
            s.generate(GenerationRequest.greedy(STORY, 2), GenerationListener.NONE);
            int used = s.usedTokens();
            List<GenerationResult> batch = s.generateBatch(prompts.stream().map(p -> GenerationRequest.greedy(p, 12)).toList());
            assertThat(batch).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(batch.get(i).tokens()).as("sequence " + i).containsExactly(fresh(prompts.get(i), 12).tokens());
            }
            assertThat(s.usedTokens()).as("the conversation KV is untouched").isEqualTo(used);
        }
    }

    @Test
    void resetForgetsTheCache() {
        try (GenerationSession s = model.openSession()) {
            s.generate(GenerationRequest.greedy(STORY, 4), GenerationListener.NONE);
            assertThat(s.usedTokens()).isPositive();
            s.reset();
            assertThat(s.usedTokens()).isZero();
            GenerationResult r = s.generate(GenerationRequest.greedy(STORY, 4), GenerationListener.NONE);
            assertThat(r.stats().prefilledTokens()).isEqualTo(r.stats().promptTokens());
        }
    }

    @Test
    void aBatchBeyondTheTrainedContextIsAClearErrorAndAnEmptyBatchIsEmpty() {
        try (GenerationSession s = model.openSession()) {
            BatchChecks.assertEmptyIsEmptyAndTooLongIsAClearError(s);
        }
    }
}
