package dev.canopy.engine.canopy;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.PooledSequence;
import dev.canopy.engine.SequencePool;
import dev.canopy.engine.StopReason;
import dev.canopy.engine.EngineKind;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.llama.SamplerSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The step-wise pool (decision 0140): sequences that join at different steps, in slots with
 * padding between them, decode together and each returns what it returns alone; a slot keeps the
 * KV of its last sequence for a prompt that extends it; a cancelled sequence leaves at the next step.
 */
class SequencePoolTest {
    private static final String STORY = "Once upon a time, in a small village by the sea, there lived an old fisherman who had a"
            + " daughter, a cat, three boats and a garden full of tomatoes. Every morning he walked down to the harbor.";

    @ParameterizedTest
    @ValueSource(strings = {"canopy", "llama"})
    void sequencesJoiningAtDifferentStepsEqualTheirAnswersAlone(String engine) {
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(512).withChunk(32)
                .withEngine(EngineKind.valueOf(engine.toUpperCase()));
        try (InferenceModel m = Engines.load(TinyModelFiles.get("gemma3", GgmlType.F32), options);
             SequencePool pool = m.sequencePool(4).orElseThrow()) {
            List<GenerationRequest> requests = List.of(GenerationRequest.greedy(STORY + STORY, 12),
                    GenerationRequest.greedy("The weather today is", 5), GenerationRequest.greedy(STORY, 9));
            PooledSequence a = pool.join(0, requests.get(0), GenerationListener.NONE);
            for (int i = 0; i < 3; i++) pool.step();
            PooledSequence b = pool.join(3, requests.get(1), GenerationListener.NONE);   // slots 1 and 2 pad
            pool.step();
            PooledSequence c = pool.join(1, requests.get(2), GenerationListener.NONE);
            while (pool.step()) { }
            assertThat(pool.idle()).isTrue();
            assertThat(pool.stats().multiSequencePasses()).as("passes that decoded several sequences").isPositive();
            assertThat(pool.stats().mostSequences()).isEqualTo(3);
            List<PooledSequence> seqs = List.of(a, b, c);
            for (int i = 0; i < 3; i++) {
                try (GenerationSession s = m.openSession()) {
                    GenerationResult alone = s.generate(requests.get(i), GenerationListener.NONE);
                    assertThat(alone.tokens()).isNotEmpty();
                    assertThat(seqs.get(i).result().tokens()).as("sequence %d", i).containsExactly(alone.tokens());
                    assertThat(seqs.get(i).result().text()).isEqualTo(alone.text());
                }
            }

            // the slot of the first sequence still holds its KV: a prompt extending it prefills only its new tokens
            GenerationResult again = run(pool, 0, GenerationRequest.greedy(STORY + STORY + " The end", 3));
            int newTokens = again.stats().promptTokens() - a.result().stats().promptTokens();
            assertThat(again.stats().prefilledTokens()).isBetween(1, newTokens + 1);
            try (GenerationSession s = m.openSession()) {
                assertThat(again.tokens()).containsExactly(s.generate(GenerationRequest.greedy(STORY + STORY + " The end", 3),
                        GenerationListener.NONE).tokens());
            }

            CancellationToken cancel = new CancellationToken();
            PooledSequence gone = pool.join(2, new GenerationRequest(STORY, 50, SamplerSettings.greedy(), List.of(), cancel),
                    GenerationListener.NONE);
            pool.step();
            cancel.cancel();
            pool.step();
            assertThat(gone.finished()).isTrue();
            assertThat(gone.result().stopReason()).isEqualTo(StopReason.CANCELLED);
            assertThat(pool.idle()).isTrue();
        }
    }

    private static GenerationResult run(SequencePool pool, int slot, GenerationRequest r) {
        PooledSequence s = pool.join(slot, r, GenerationListener.NONE);
        while (!s.finished()) pool.step();
        return s.result();
    }
}
