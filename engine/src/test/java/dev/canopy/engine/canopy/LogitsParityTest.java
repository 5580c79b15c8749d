package dev.canopy.engine.canopy;

import dev.canopy.engine.batch.TokenSampler;
import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Canopy's graph against libllama's llama_decode on the same tiny random-weight model, for every
 * architecture it builds (the 77-token prompt is longer than the gemma models' 32-token window).
 */
class LogitsParityTest {
    private static final EngineOptions OPTIONS = EngineOptions.defaults().withThreads(1).withContext(512);

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"llama,F32,1e-3", "qwen2,F32,1e-3", "qwen3,F32,1e-3",
            "phi3,F32,1e-3", "gemma2,F32,1e-3", "gemma3,F32,1e-3",
            "llama,F16,1e-2", "qwen2,F16,1e-2", "qwen3,F16,1e-2",
            "phi3,F16,1e-2", "gemma2,F16,1e-2", "gemma3,F16,1e-2",
            "llama,Q8_0,1e-2", "qwen2,Q8_0,1e-2", "qwen3,Q8_0,1e-2",
            "phi3,Q8_0,1e-2", "gemma2,Q8_0,1e-2", "gemma3,Q8_0,1e-2"})
    void lastTokenLogitsMatchLlamaDecode(String arch, GgmlType type, double tolerance) {
        Path file = TinyModelFiles.get(arch, type);
        int[] prompt = TinyModelFiles.promptTokens(77, 11);
        float[] ref = LlamaReference.lastLogits(file, prompt);
        float[] ours;
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(file), OPTIONS);
             SequenceEngine seq = m.openSequence(m.defaultSettings())) {
            ours = seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
        }
        assertThat(LlamaReference.spread(ref)).as("reference logits vary").isGreaterThan(0.1);
        double diff = LlamaReference.maxAbsDiff(ours, ref);
        System.out.printf("logits parity %s %s: max abs diff %.3e%n", arch, type, diff);
        assertThat(diff).isLessThanOrEqualTo(tolerance);
        assertThat(TokenSampler.argmax(ours)).isEqualTo(TokenSampler.argmax(ref));
    }

    /**
     * A file with {@code rope.scaling.factor} but no {@code rope.scaling.type}: llama.cpp reads that
     * as linear scaling (older Llama and Mistral conversions), and so must we.
     */
    @Test
    void ropeScalingFactorWithoutTypeIsLinearLikeLlamaCpp(@TempDir Path dir) throws Exception {
        Path scaled = TinyModels.write(TinyModelSpec.tiny("llama").withRopeScale(4f), dir.resolve("scaled.gguf"));
        int[] prompt = TinyModelFiles.promptTokens(77, 11);
        float[] ref = LlamaReference.lastLogits(scaled, prompt);
        float[] unscaled = LlamaReference.lastLogits(TinyModelFiles.get("llama", GgmlType.F32), prompt);
        float[] ours;
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(scaled), OPTIONS);
             SequenceEngine seq = m.openSequence(m.defaultSettings())) {
            ours = seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
        }
        assertThat(LlamaReference.maxAbsDiff(unscaled, ref)).as("the factor changes llama.cpp's logits").isGreaterThan(1e-2);
        assertThat(LlamaReference.maxAbsDiff(ours, ref)).isLessThanOrEqualTo(1e-3);
    }

    /**
     * Q4_0 (written by libllama's quantizer): on CPUs with a repacked Q4_0 kernel (AVX2, NEON) both
     * engines copy the matrices into ggml's CPU_REPACK layout, so they run the same kernels.
     */
    @ParameterizedTest(name = "{0} Q4_0")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"llama", "qwen3"})
    void q40MatricesTakeTheSameRepackedKernelsAsLlamaCpp(String arch) {
        Path file = TinyModelFiles.quantized(arch, dev.canopy.natives.ffi.llama_h.LLAMA_FTYPE_MOSTLY_Q4_0(), "Q4_0");
        int[] prompt = TinyModelFiles.promptTokens(77, 11);
        float[] ref = LlamaReference.lastLogits(file, prompt);
        float[] ours;
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(file), OPTIONS);
             SequenceEngine seq = m.openSequence(m.defaultSettings())) {
            if (!m.weights().repackedBufferTypes().isEmpty()) {
                assertThat(m.weights().repackedBufferTypes()).contains("CPU_REPACK");
                assertThat(m.weights().repackedBytes()).isPositive();
            }
            ours = seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
        }
        assertThat(LlamaReference.spread(ref)).as("reference logits vary").isGreaterThan(0.1);
        assertThat(LlamaReference.maxAbsDiff(ours, ref)).isLessThanOrEqualTo(1e-2);
        assertThat(TokenSampler.argmax(ours)).isEqualTo(TokenSampler.argmax(ref));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"llama,F32", "qwen2,F32", "qwen3,F32", "llama,F16", "qwen2,F16", "qwen3,F16",
            "llama,Q8_0", "qwen2,Q8_0", "qwen3,Q8_0",
            "phi3,F32", "gemma2,F32", "gemma3,F32", "phi3,F16", "gemma2,F16", "gemma3,F16",
            "phi3,Q8_0", "gemma2,Q8_0", "gemma3,Q8_0"})
    void greedyContinuationsAreIdentical(String arch, GgmlType type) {
        Path file = TinyModelFiles.get(arch, type);
        // At least 64 prompt tokens: below that llama.cpp's CPU flash attention takes its F16 row-by-row
        // kernel while Canopy's padded chunk (C = 256 rows) takes the tiled F32 one, and the last bits
        // of the logits differ (quantized models then flip near-ties of the random-weight logits).
        String prompt = "Once upon a time, in a small village by the sea, there lived an old fisherman who had a daughter,"
                + " a cat, three boats and a garden full of tomatoes. Every morning he walked down to the harbor, greeted"
                + " the baker and the priest, and checked the nets that his neighbors had mended the night before. One day";
        GenerationResult ours = generate(file, EngineKind.CANOPY, prompt);
        GenerationResult ref = generate(file, EngineKind.LLAMA, prompt);
        assertThat(ref.tokens()).hasSize(32);
        assertThat(ours.tokens()).containsExactly(ref.tokens());
        assertThat(ours.text()).isEqualTo(ref.text());
    }

    private static GenerationResult generate(Path file, EngineKind engine, String prompt) {
        try (InferenceModel m = Engines.load(file, OPTIONS.withEngine(engine)); GenerationSession s = m.openSession()) {
            assertThat(m.engine()).isEqualTo(engine);
            return s.generate(GenerationRequest.greedy(prompt, 32), GenerationListener.NONE);
        }
    }
}
