package dev.canopy.engine.canopy;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.runtime.WindowPolicy;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.gguf.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Sparse attention inside the engine's own forward graph (SequenceEngine -> ForwardPass -> TransformerGraphBuilder). */
class EngineSparseAttentionTest {
    private static final int CHUNK = 64;
    private static final int SINK = 16;
    private static final int WINDOW = 32;
    private static CanopyInferenceModel model;

    @BeforeAll
    static void load() {
        model = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get("llama", GgmlType.F32)),
                EngineOptions.defaults().withThreads(2));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static SparseAttentionSettings sparse(AttentionMode mode, int budget, int decodeBudget) {
        return SparseAttentionSettings.of(mode).withSinkAndWindow(SINK, WINDOW).withTopkBlock(16)
                .withBudget(budget).withDecodeBudget(decodeBudget).withExactLastChunk(false);
    }

    private static SequenceEngine open(SparseAttentionSettings attention) {
        return model.openSequence(new RunSettings(2048, CHUNK, 2, llama_h.GGML_TYPE_F16(), WindowPolicy.POWER_OF_TWO, attention));
    }

    private static float[] prefill(SequenceEngine seq, int[] prompt) {
        return seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = AttentionMode.class, names = {"DHSA", "TOPK", "WINDOW"})
    void aBudgetCoveringThePromptGivesExactlyTheDenseLogits(AttentionMode mode) {
        int[] prompt = TinyModelFiles.promptTokens(700, 11);
        float[] dense, sparse;
        int[] kept;
        try (SequenceEngine seq = open(SparseAttentionSettings.dense())) {
            dense = prefill(seq, prompt);
        }
        try (SequenceEngine seq = open(sparse(mode, 768, 768))) {   // window 1024 > budget 768 >= 700 tokens
            sparse = prefill(seq, prompt);
            kept = seq.lastSelection(0);
        }
        assertThat(kept).as("a budget holding every visible key runs the dense graph").isNull();
        assertThat(LlamaReference.spread(dense)).isGreaterThan(0.1);
        assertThat(LlamaReference.maxAbsDiff(sparse, dense)).isLessThanOrEqualTo(1e-6);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = AttentionMode.class, names = {"DHSA", "TOPK", "WINDOW"})
    void aSmallBudgetAlwaysKeepsTheSinkTheWindowAndTheBlock(AttentionMode mode) {
        int[] prompt = TinyModelFiles.promptTokens(600, 5);
        int first = (prompt.length - 1) / CHUNK * CHUNK;                      // the last chunk's first position
        float[] dense, sparse;
        try (SequenceEngine seq = open(SparseAttentionSettings.dense())) {
            dense = prefill(seq, prompt);
        }
        try (SequenceEngine seq = open(sparse(mode, 192, 160))) {
            sparse = prefill(seq, prompt);
            for (int il = 0; il < model.hparams().layers(); il++) {
                int[] kept = seq.lastSelection(il);
                assertThat(kept).as("layer " + il).hasSize(192).isSorted().doesNotHaveDuplicates()
                        .contains(IntStream.range(0, SINK).toArray())
                        .contains(IntStream.range(first - WINDOW, prompt.length).toArray());
            }
            int token = prompt[1];
            float[] afterDecode = seq.decode(token);
            int[] decodeKept = seq.lastSelection(0);
            assertThat(decodeKept).hasSize(160).contains(IntStream.range(0, SINK).toArray())
                    .contains(IntStream.rangeClosed(prompt.length - WINDOW, prompt.length).toArray());
            assertThat(finite(afterDecode)).isTrue();
        }
        assertThat(finite(sparse)).isTrue();
        assertThat(LlamaReference.maxAbsDiff(sparse, dense)).as("192 of 600 keys is not dense").isGreaterThan(1e-4);
    }

    @Test
    void byDefaultTheLastPromptChunkAndDecodeAttendToEveryKey() {
        int[] prompt = TinyModelFiles.promptTokens(600, 5);
        SparseAttentionSettings defaults = SparseAttentionSettings.of(AttentionMode.DHSA).withSinkAndWindow(SINK, WINDOW).withBudget(192);
        float[] exactLast, sparseLast;
        try (SequenceEngine seq = open(defaults)) {
            exactLast = prefill(seq, prompt);
            assertThat(seq.lastSelection(0)).as("the last chunk ran dense").isNull();
            seq.decode(prompt[1]);
            assertThat(seq.lastSelection(0)).as("decode ran dense").isNull();
        }
        try (SequenceEngine seq = open(defaults.withExactLastChunk(false))) {
            sparseLast = prefill(seq, prompt);
            assertThat(seq.lastSelection(0)).hasSize(192);
        }
        assertThat(LlamaReference.maxAbsDiff(exactLast, sparseLast)).isGreaterThan(1e-4);
    }

    @Test
    void dhsaBoundariesAndSelectionsAreDeterministic() {
        int[] prompt = TinyModelFiles.promptTokens(900, 3);
        int[] startsA, startsB, keptA, keptB;
        float[] a, b;
        try (SequenceEngine seq = open(sparse(AttentionMode.DHSA, 256, 160))) {
            a = prefill(seq, prompt);
            startsA = seq.chunkStarts();
            keptA = seq.lastSelection(1);
        }
        try (SequenceEngine seq = open(sparse(AttentionMode.DHSA, 256, 160))) {
            b = prefill(seq, prompt);
            startsB = seq.chunkStarts();
            keptB = seq.lastSelection(1);
        }
        assertThat(startsA.length).as("the key stream was cut into chunks").isGreaterThan(1);
        assertThat(startsA).isEqualTo(startsB);
        assertThat(keptA).isEqualTo(keptB);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void aRewoundSequenceSelectsAsIfPrefilledFresh() {
        int[] prompt = TinyModelFiles.promptTokens(700, 8);
        int[] edited = Arrays.copyOf(prompt, 700);
        for (int i = 400; i < 700; i++) edited[i] = prompt[(i * 7) % 300];
        float[] fresh, rewound;
        try (SequenceEngine seq = open(sparse(AttentionMode.DHSA, 256, 160))) {
            fresh = prefill(seq, edited);
        }
        try (SequenceEngine seq = open(sparse(AttentionMode.DHSA, 256, 160))) {
            prefill(seq, prompt);
            rewound = seq.prefill(edited, 384, new CancellationToken(), GenerationListener.NONE).logits(); // a follow-up turn
        }
        assertThat(rewound).isEqualTo(fresh);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = AttentionMode.class, names = {"DHSA", "TOPK"})
    void aSequenceReusedForNewPromptsAnswersAsAFreshOne(AttentionMode mode) {
        SparseAttentionSettings settings = sparse(mode, 256, 160);
        int[][] prompts = {TinyModelFiles.promptTokens(1500, 21), TinyModelFiles.promptTokens(1400, 22), TinyModelFiles.promptTokens(1450, 23)};
        try (SequenceEngine reused = open(settings)) {
            for (int[] prompt : prompts) {
                reused.reset();
                float[] a = prefill(reused, prompt);
                for (int i = 0; i < 6; i++) a = reused.decode(prompt[i]);
                float[] b;
                try (SequenceEngine fresh = open(settings)) {
                    b = prefill(fresh, prompt);
                    for (int i = 0; i < 6; i++) b = fresh.decode(prompt[i]);
                }
                assertThat(LlamaReference.maxAbsDiff(a, b)).isZero();
            }
        }
    }

    private static boolean finite(float[] v) {
        for (float x : v) if (!Float.isFinite(x)) return false;
        return true;
    }
}
