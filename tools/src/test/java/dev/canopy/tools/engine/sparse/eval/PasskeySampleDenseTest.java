package dev.canopy.tools.engine.sparse.eval;

import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.canopy.SequenceEngine;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.ModelParams;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static dev.canopy.tools.engine.sparse.eval.PasskeyPromptsTest.MODEL;
import static dev.canopy.tools.engine.sparse.eval.PasskeyPromptsTest.SAMPLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The eval's dense path reproduces the reference answers recorded in sample.jsonl (made by
 * make_prompts.py, answered by llama.cpp) for its single-fact prompts: the prompts are well formed
 * and Canopy's dense engine answers them as llama.cpp does. 4K to 16K only (6 prompts, about 56K
 * prefill tokens, 20-40 s on 2 cores): the two 32K prompts would add 64K tokens at a slower rate
 * per token, more than doubling the test; `canopy eval passkey --prompts sample.jsonl --modes dense`
 * runs all 16.
 */
class PasskeySampleDenseTest {
    private static final int LONGEST = 16384;

    @Test
    void denseAnswersSampleSingleFactPromptsAsRecorded() {
        assumeTrue(Files.exists(MODEL) && Files.exists(SAMPLE), "passkey model or sample.jsonl not present");
        List<PasskeySamples.Sample> samples = PasskeySamples.read(SAMPLE).stream()
                .filter(s -> s.prompt().facts().size() == 1 && s.length() <= LONGEST).toList();
        assertThat(samples).hasSize(6);
        EngineOptions options = EngineOptions.defaults().withThreads(2).withChunk(256).withContext(LONGEST + 64);
        try (CanopyInferenceModel engine = CanopyInferenceModel.load(ModelInspector.inspect(MODEL), options);
             LlamaModel vocabModel = LlamaModel.load(MODEL, ModelParams.vocab());
             SequenceEngine dense = engine.openSequence(engine.defaultSettings())) {
            for (PasskeySamples.Sample s : samples) {
                int[] tokens = vocabModel.vocab().tokenize(s.prompt().text(), true, false);
                assertThat(tokens.length).as(s.sourceId()).isBetween(s.length() - 128, s.length());
                PasskeyEval.Outcome out = PasskeyEval.answer(dense, tokens, vocabModel.vocab(), s.prompt());
                assertThat(out.continuation().strip()).as(s.sourceId()).startsWith(s.dense());
                assertThat(out.correct()).as(s.sourceId()).isTrue();
            }
        }
    }
}
