package dev.canopy.engine.canopy;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.runtime.WindowPolicy;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.gguf.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Fixed-chunk prefill: any chunk size gives the same logits, and compute memory is set by C, not the prompt. */
class ChunkedPrefillTest {
    private static CanopyInferenceModel model;

    @BeforeAll
    static void load() {
        model = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get("qwen2", GgmlType.F32)),
                EngineOptions.defaults().withThreads(2));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static RunSettings settings(int context, int chunk) {
        return new RunSettings(context, chunk, 2, llama_h.GGML_TYPE_F32(), WindowPolicy.POWER_OF_TWO);
    }

    private static float[] prefill(int[] prompt, int chunk) {
        try (SequenceEngine seq = model.openSequence(settings(1024, chunk))) {
            return seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
        }
    }

    @ParameterizedTest(name = "C={0}")
    @ValueSource(ints = {16, 64})
    void chunkedPrefillGivesTheSameLogitsAsOneShot(int chunk) {
        int[] prompt = TinyModelFiles.promptTokens(300, 3);
        float[] oneShot = prefill(prompt, prompt.length);
        float[] chunked = prefill(prompt, chunk);
        assertThat(LlamaReference.spread(oneShot)).isGreaterThan(0.1);
        assertThat(LlamaReference.maxAbsDiff(chunked, oneShot)).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void progressIsReportedPerChunkAndTheLastChunkIsPadded() {
        int[] prompt = TinyModelFiles.promptTokens(100, 4);
        List<int[]> progress = new ArrayList<>();
        try (SequenceEngine seq = model.openSequence(settings(512, 32))) {
            seq.prefill(prompt, 0, new CancellationToken(), new GenerationListener() {
                @Override public void onPrefillProgress(int done, int total) { progress.add(new int[] {done, total}); }
            });
            assertThat(seq.used()).isEqualTo(100);
        }
        assertThat(progress).extracting(p -> p[0]).containsExactly(32, 64, 96, 100);
        assertThat(progress).extracting(p -> p[1]).containsOnly(100);
    }

    @Test
    void computeBufferIsSetByChunkSizeNotByPromptLength() {
        int context = 4608;
        long[] bytes = new long[2];
        int[] graphs = new int[2];
        int[] lengths = {512, 4096};
        for (int i = 0; i < 2; i++) {
            try (SequenceEngine seq = model.openSequence(settings(context, 64))) {
                seq.prefill(TinyModelFiles.promptTokens(lengths[i], 5), 0, new CancellationToken(), GenerationListener.NONE);
                bytes[i] = seq.prefillComputeBytes();
                graphs[i] = seq.prefillGraphsBuilt();
            }
        }
        assertThat(bytes[0]).isPositive().isEqualTo(bytes[1]);
        // 64 chunks of the 4,096-token prompt ran on a handful of graphs (one per KV window bucket + the reserve)
        assertThat(graphs[1]).isLessThanOrEqualTo(6);
        long smaller;
        try (SequenceEngine seq = model.openSequence(settings(context, 16))) {
            smaller = seq.prefillComputeBytes();
        }
        assertThat(smaller).isLessThan(bytes[0]);
    }

    @Test
    void fullWindowPolicyUsesExactlyOneGraphPerChunkSize() {
        int[] prompt = TinyModelFiles.promptTokens(700, 6);
        float[] pow2;
        try (SequenceEngine seq = model.openSequence(settings(1024, 64))) {
            pow2 = seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
        }
        try (SequenceEngine seq = model.openSequence(new RunSettings(1024, 64, 2, llama_h.GGML_TYPE_F32(), WindowPolicy.FULL))) {
            float[] full = seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
            assertThat(seq.prefillGraphsBuilt()).isEqualTo(1);
            assertThat(LlamaReference.maxAbsDiff(full, pow2)).isLessThanOrEqualTo(1e-4);
        }
    }
}
