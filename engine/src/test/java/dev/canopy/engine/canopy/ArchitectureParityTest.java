package dev.canopy.engine.canopy;

import dev.canopy.engine.batch.TokenSampler;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.ModelInfo;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.runtime.WindowPolicy;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.engine.testing.TinyArchModels;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.gguf.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * phi3, gemma2 and gemma3 on Canopy's graph beyond the logits and greedy parity of
 * {@link LogitsParityTest}: chunked prefill across the sliding window, the window itself, the
 * metadata the UI shows, and the dense-only refusal for sparse attention and KV tiers.
 */
class ArchitectureParityTest {
    private static final EngineOptions OPTIONS = EngineOptions.defaults().withThreads(1).withContext(512);

    private static float[] prefill(CanopyInferenceModel m, int[] prompt, int chunk) {
        return prefill(m, prompt, chunk, 512, WindowPolicy.POWER_OF_TWO);
    }

    private static float[] prefill(CanopyInferenceModel m, int[] prompt, int chunk, int context, WindowPolicy windows) {
        try (SequenceEngine seq = m.openSequence(new RunSettings(context, chunk, 1, llama_h.GGML_TYPE_F32(), windows))) {
            return seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
        }
    }

    /**
     * The session default reads windows of 256-cell multiples (decision 0076): 256, 512 and 768 here,
     * past the sliding window's ring for gemma. Chunked prefill over them equals one-shot prefill.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"llama", "phi3", "gemma2", "gemma3"})
    void chunkedPrefillOverWindowsOf256CellMultiplesEqualsOneShot(String arch) {
        Path file = TinyModelFiles.get(arch, GgmlType.F32);
        int[] prompt = TinyModelFiles.promptTokens(700, 5);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(file), OPTIONS.withContext(1024))) {
            assertThat(CanopyInferenceModel.DEFAULT_WINDOWS).isEqualTo(WindowPolicy.MULTIPLE_OF_256);
            float[] oneShot = prefill(m, prompt, prompt.length, 1024, WindowPolicy.MULTIPLE_OF_256);
            float[] chunked = prefill(m, prompt, 64, 1024, WindowPolicy.MULTIPLE_OF_256);
            float[] powerOfTwo = prefill(m, prompt, 64, 1024, WindowPolicy.POWER_OF_TWO);
            assertThat(LlamaReference.spread(oneShot)).isGreaterThan(0.1);
            assertThat(LlamaReference.maxAbsDiff(chunked, oneShot)).isLessThanOrEqualTo(1e-4);
            assertThat(LlamaReference.maxAbsDiff(chunked, powerOfTwo)).as("the window's masked cells change nothing").isLessThanOrEqualTo(1e-5);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"phi3", "gemma2", "gemma3"})
    void chunkedPrefillEqualsOneShot(String arch) {
        Path file = TinyModelFiles.get(arch, GgmlType.F32);
        int[] prompt = TinyModelFiles.promptTokens(150, 3);   // C = 16 chunks cross the 32-token window many times
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(file), OPTIONS)) {
            float[] oneShot = prefill(m, prompt, prompt.length);
            float[] chunked = prefill(m, prompt, 16);
            assertThat(LlamaReference.spread(oneShot)).isGreaterThan(0.1);
            double diff = LlamaReference.maxAbsDiff(chunked, oneShot);
            System.out.printf("chunked prefill %s: max abs diff %.3e%n", arch, diff);
            assertThat(diff).isLessThanOrEqualTo(1e-4);
        }
    }

    /**
     * Decoding token by token past the window equals llama.cpp decoding the same way. One-row steps
     * take ggml's F16-accumulating flash-attention kernel, whose rounding the two engines do not
     * share bit for bit: llama itself differs by ~3e-4 here, gemma2 (logits up to its cap of 10) by
     * ~2e-3; a wrong window or RoPE base differs by whole units.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"llama", "qwen3", "phi3", "gemma2", "gemma3"})
    void decodedTokensPastTheWindowMatchLlamaDecode(String arch) {
        Path file = TinyModelFiles.get(arch, GgmlType.F32);
        int[] prompt = TinyModelFiles.promptTokens(2 * TinyArchModels.SLIDING_WINDOW + 9, 7);
        int head = 5;
        float[] ref = LlamaReference.lastLogitsStepwise(file, prompt, head);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(file), OPTIONS);
             SequenceEngine seq = m.openSequence(m.defaultSettings())) {
            seq.prefill(java.util.Arrays.copyOf(prompt, head), 0, new CancellationToken(), GenerationListener.NONE);
            float[] ours = null;
            for (int i = head; i < prompt.length; i++) ours = seq.decode(prompt[i]);
            double diff = LlamaReference.maxAbsDiff(ours, ref);
            System.out.printf("decode parity %s: max abs diff %.3e%n", arch, diff);
            assertThat(diff).isLessThanOrEqualTo(5e-3);
        }
    }

    /** The window shapes the logits of the parity prompt, so matching llama_decode checks the mask. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gemma2", "gemma3"})
    void theSlidingWindowChangesTheLogitsAndStillMatchesLlamaDecode(String arch) {
        int[] prompt = TinyModelFiles.promptTokens(77, 11);
        float[] windowed = canopyLogits(TinyModelFiles.get(arch, GgmlType.F32), prompt);
        Path wide = TinyModelFiles.withWindow(arch, 4096);
        float[] unwindowed = canopyLogits(wide, prompt);
        assertThat(LlamaReference.maxAbsDiff(windowed, unwindowed)).as("the window matters").isGreaterThan(0.05);
        assertThat(LlamaReference.maxAbsDiff(unwindowed, LlamaReference.lastLogits(wide, prompt))).isLessThanOrEqualTo(1e-3);
    }

    private static float[] canopyLogits(Path file, int[] prompt) {
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(file), OPTIONS);
             SequenceEngine seq = m.openSequence(m.defaultSettings())) {
            return seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
        }
    }

    @Test
    void slidingWindowLayersAndRopeBasesFollowLlamaCpp() {
        // gemma2's default pattern: every other layer slides, starting with layer 0
        Path file = TinyModelFiles.get("gemma2", GgmlType.F32);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(file), OPTIONS)) {
            assertThat(m.hparams().variant().isSwa(0)).isTrue();
            assertThat(m.hparams().variant().isSwa(1)).isFalse();
            assertThat(m.hparams().variant().slidingWindow()).isEqualTo(TinyArchModels.SLIDING_WINDOW);
        }
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get("gemma3", GgmlType.F32)), OPTIONS)) {
            assertThat(m.hparams().variant().swaLayers()).containsExactly(true, true, false);
            assertThat(m.hparams().ropeBase(0)).isEqualTo(10000f);        // the local layers' own base
            assertThat(m.hparams().ropeBase(2)).isEqualTo(1_000_000f);
            assertThat(m.hparams().ropeFreqScale(0)).isEqualTo(1f);       // linear scaling on the global layers only
            assertThat(m.hparams().ropeFreqScale(2)).isEqualTo(0.125f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"phi3", "gemma2", "gemma3"})
    void metadataForTheUi(String arch) {
        ModelInfo info = ModelInspector.inspect(TinyModelFiles.get(arch, GgmlType.F16));
        assertThat(info.architecture()).isEqualTo(arch);
        assertThat(info.layers()).isEqualTo(arch.equals("gemma3") ? 3 : 2);
        assertThat(info.embedding()).isEqualTo(64);
        assertThat(info.heads()).isEqualTo(4);
        assertThat(info.kvHeads()).isEqualTo(2);
        assertThat(info.contextLength()).isEqualTo(4096);
        assertThat(info.quantization()).isEqualTo("F16");
        assertThat(Engines.canopyArchitectures()).contains(arch);
    }

    /** The memory estimate's KV: sliding-window layers count their ring, not the context. */
    @Test
    void kvFootprintCountsSlidingWindowLayersAtTheirWindow() {
        var llama = ModelInspector.inspect(TinyModelFiles.get("llama", GgmlType.F16)).kv();
        assertThat(llama.slidingLayers()).isZero();
        assertThat(llama.bytes(512)).as("2 layers x 512 tokens x K+V of 2 heads x 16 in F16").isEqualTo(2L * 512 * 2 * 2 * 32);
        var gemma3 = ModelInspector.inspect(TinyModelFiles.get("gemma3", GgmlType.F16)).kv();
        assertThat(gemma3.fullLayers()).isEqualTo(1);
        assertThat(gemma3.slidingLayers()).isEqualTo(2);
        assertThat(gemma3.window()).isEqualTo(32);
        assertThat(gemma3.bytes(256)).as("a short context: every layer holds it").isEqualTo(3L * 256 * gemma3.rowBytes());
        assertThat(gemma3.bytes(4096)).as("at 4K the two sliding layers hold a ring of 768 cells")
                .isEqualTo((4096L + 2 * 768) * gemma3.rowBytes());
    }

    @Test
    void sparseAttentionFallsBackToDenseForSlidingWindowModels() {
        EngineOptions dhsa = OPTIONS.withAttention(SparseAttentionSettings.of(AttentionMode.DHSA));
        Path file = TinyModelFiles.get("gemma2", GgmlType.F32);
        try (InferenceModel loaded = Engines.load(file, dhsa)) {
            assertThat(loaded.engine()).isEqualTo(EngineKind.CANOPY);
            CanopyInferenceModel m = (CanopyInferenceModel) loaded;
            assertThat(m.notice()).hasValueSatisfying(n -> assertThat(n).contains("sliding-window").contains("dense"));
            assertThat(m.defaultSettings().attention().mode()).isEqualTo(AttentionMode.DENSE);
            RunSettings sparse = m.defaultSettings().withAttention(SparseAttentionSettings.of(AttentionMode.DHSA));
            assertThatThrownBy(() -> m.openSequence(sparse)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dhsa").hasMessageContaining("sliding-window");
        }
    }

    /** phi3's pre-scaled queries (kq scale 1) and fused-QKV views run through the sparse path too. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = AttentionMode.class, names = {"DHSA", "TOPK", "WINDOW"})
    void phi3RunsSparseAttention(AttentionMode mode) {
        SparseAttentionSettings sparse = SparseAttentionSettings.of(mode).withSinkAndWindow(16, 32).withTopkBlock(16)
                .withBudget(128).withDecodeBudget(128).withExactLastChunk(false);
        int[] prompt = TinyModelFiles.promptTokens(600, 5);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get("phi3", GgmlType.F32)), OPTIONS);
             SequenceEngine seq = m.openSequence(new RunSettings(1024, 64, 1, llama_h.GGML_TYPE_F16(), WindowPolicy.POWER_OF_TWO, sparse))) {
            float[] logits = seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
            assertThat(seq.lastSelection(0)).as("the last chunk selected its keys").isNotNull().hasSizeLessThanOrEqualTo(128 + 16);
            assertThat(LlamaReference.spread(logits)).isGreaterThan(0.1).isFinite();
            float[] next = seq.decode(TokenSampler.argmax(logits));
            assertThat(LlamaReference.spread(next)).isGreaterThan(0.1).isFinite();
        }
    }

    /** The batch generator packs sequences side by side in one cache: each one's window stays its own. */
    @Test
    void gemmaBatchOfSequencesMatchesSeparateGenerations() {
        String story = "Once upon a time, in a small village by the sea, there lived an old fisherman who had a daughter,"
                + " a cat, three boats and a garden full of tomatoes. Every morning he walked down to the harbor";
        java.util.List<String> prompts = java.util.List.of(story, "The weather today is", story + " and in the evening");
        try (InferenceModel m = Engines.load(TinyModelFiles.get("gemma2", GgmlType.F32), OPTIONS)) {
            java.util.List<dev.canopy.engine.GenerationResult> batch;
            try (dev.canopy.engine.GenerationSession s = m.openSession()) {
                batch = s.generateBatch(prompts.stream().map(p -> dev.canopy.engine.GenerationRequest.greedy(p, 12)).toList());
            }
            for (int i = 0; i < prompts.size(); i++) {
                try (dev.canopy.engine.GenerationSession s = m.openSession()) {
                    int[] alone = s.generate(dev.canopy.engine.GenerationRequest.greedy(prompts.get(i), 12), GenerationListener.NONE).tokens();
                    assertThat(batch.get(i).tokens()).as("sequence " + i).containsExactly(alone);
                }
            }
        }
    }

    @Test
    void phi3KeepsSparseAttention() {
        // llama.cpp turns Phi's sliding window off, and phi3 has no soft-capping: nothing forces dense
        EngineOptions dhsa = OPTIONS.withAttention(SparseAttentionSettings.of(AttentionMode.DHSA));
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get("phi3", GgmlType.F32)), dhsa)) {
            assertThat(m.notice()).isEmpty();
            assertThat(m.hparams().variant().anySwa()).isFalse();
            assertThat(m.defaultSettings().attention().mode()).isEqualTo(AttentionMode.DHSA);
        }
    }
}
