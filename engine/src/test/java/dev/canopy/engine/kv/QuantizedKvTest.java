package dev.canopy.engine.kv;

import dev.canopy.kv.KvKey;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.KvPrecision;
import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.canopy.LlamaReference;
import dev.canopy.engine.canopy.RunSettings;
import dev.canopy.engine.canopy.SequenceEngine;
import dev.canopy.engine.runtime.WindowPolicy;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.ggml.GgmlBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A quantized KV cache (Q8_0, Q4_0) in the engine's own graph: its size, how close it stays to an
 * F16 KV, sparse attention over quantized keys, the tiers' pages saved and reopened in it, the
 * llama.cpp fallback, and the F16 fallback of models whose heads a 32-value block does not fit.
 */
class QuantizedKvTest {
    private static final int CONTEXT = 1024;
    private static final int CHUNK = 64;
    private static final String STORY = "Once upon a time, in a small village by the sea, there lived an old fisherman who had a"
            + " daughter, a cat, three boats and a garden full of tomatoes. Every morning he walked down to the harbor,"
            + " greeted the baker and the priest, and checked the nets that his neighbors had mended the night before.";
    private static CanopyInferenceModel model;   // heads of 32: every precision fits

    @TempDir Path dir;

    @BeforeAll
    static void load() {
        model = (CanopyInferenceModel) Engines.load(TinyModelFiles.llamaWithHeadDim32(),
                EngineOptions.defaults().withThreads(2).withContext(CONTEXT).withChunk(CHUNK));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static RunSettings settings(KvPrecision p, SparseAttentionSettings attention) {
        return new RunSettings(CONTEXT, CHUNK, 2, p.ggmlType(), WindowPolicy.POWER_OF_TWO, attention);
    }

    private static float[] prefill(SequenceEngine seq, int[] prompt) {
        return seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
    }

    private static float[] prefill(KvPrecision p, SparseAttentionSettings attention, int[] prompt) {
        try (SequenceEngine seq = model.openSequence(settings(p, attention))) {
            return prefill(seq, prompt);
        }
    }

    private static SparseAttentionSettings sparse(AttentionMode mode, int budget) {
        return SparseAttentionSettings.of(mode).withSinkAndWindow(16, 32).withTopkBlock(16)
                .withBudget(budget).withDecodeBudget(budget).withExactLastChunk(false);
    }

    @Test
    void aQuantizedKvHoldsAboutHalfOrAQuarterOfTheF16Bytes() {
        long f16, q8, q4;
        try (SequenceEngine a = model.openSequence(settings(KvPrecision.F16, null));
             SequenceEngine b = model.openSequence(settings(KvPrecision.Q8_0, null));
             SequenceEngine c = model.openSequence(settings(KvPrecision.Q4_0, null))) {
            f16 = a.kvBytes();
            q8 = b.kvBytes();
            q4 = c.kvBytes();
        }
        assertThat((double) q8 / f16).isCloseTo(34.0 / 64, org.assertj.core.data.Offset.offset(0.01));
        assertThat((double) q4 / f16).isCloseTo(18.0 / 64, org.assertj.core.data.Offset.offset(0.01));
        int layers = model.hparams().layers(), width = model.hparams().kvWidth();
        assertThat(KvPrecision.Q8_0.bytesPerToken(layers, width)).isEqualTo(2L * layers * width / 32 * 34);
    }

    @Test
    void quantizedKvLogitsStayCloseToF16ButAreNotF16() {
        int[] prompt = TinyModelFiles.promptTokens(500, 3);
        float[] f16 = prefill(KvPrecision.F16, null, prompt);
        float[] q8 = prefill(KvPrecision.Q8_0, null, prompt);
        float[] q4 = prefill(KvPrecision.Q4_0, null, prompt);
        double spread = LlamaReference.spread(f16);
        assertThat(spread).isGreaterThan(0.1);
        assertThat(LlamaReference.maxAbsDiff(q8, f16)).as("q8_0 rounds the KV").isGreaterThan(0)
                .isLessThan(0.05 * spread);
        assertThat(LlamaReference.maxAbsDiff(q4, f16)).as("q4_0 rounds it more").isGreaterThan(LlamaReference.maxAbsDiff(q8, f16))
                .isLessThan(0.25 * spread);
        assertThat(KvFixture.argmax(q8)).isEqualTo(KvFixture.argmax(f16));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = AttentionMode.class, names = {"DHSA", "TOPK", "WINDOW"})
    void aSparseBudgetCoveringThePromptEqualsDenseOverTheSameQuantizedKv(AttentionMode mode) {
        int[] prompt = TinyModelFiles.promptTokens(700, 11);
        float[] dense = prefill(KvPrecision.Q8_0, null, prompt);
        float[] sparse = prefill(KvPrecision.Q8_0, sparse(mode, 768), prompt);   // window 1024 > budget 768 >= 700 tokens
        assertThat(sparse).containsExactly(dense);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = AttentionMode.class, names = {"DHSA", "TOPK", "WINDOW"})
    void sparseAttentionSelectsOverQuantizedKeys(AttentionMode mode) {
        int[] prompt = TinyModelFiles.promptTokens(600, 5);
        int first = (prompt.length - 1) / CHUNK * CHUNK;
        for (KvPrecision p : new KvPrecision[] {KvPrecision.Q8_0, KvPrecision.Q4_0}) {
            try (SequenceEngine seq = model.openSequence(settings(p, sparse(mode, 192)))) {
                float[] logits = prefill(seq, prompt);
                int[] kept = seq.lastSelection(0);
                assertThat(kept).as(p + ": the selection ran").hasSize(192).isSorted().doesNotHaveDuplicates()
                        .contains(IntStream.range(0, 16).toArray())
                        .contains(IntStream.range(first - 32, prompt.length).toArray());
                assertThat(finite(logits)).isTrue();
                assertThat(finite(seq.decode(prompt[1]))).isTrue();
                if (mode == AttentionMode.DHSA) assertThat(seq.chunkStarts()).as("boundaries read from quantized keys").isNotEmpty();
            }
        }
    }

    @Test
    void tiersSaveAQuantizedKvAndReopenItOnlyWithTheSameType() throws Exception {
        KvOffload cfg = KvOffload.persistentInRam(dir, KvKey.named("chat")).withPageTokens(16);
        GenerationResult freshQ8 = generate(model.openSession(settings(KvPrecision.Q8_0, null)));
        GenerationResult freshF16 = generate(model.openSession(settings(KvPrecision.F16, null)));

        GenerationResult saved = generate(model.openSession(settings(KvPrecision.Q8_0, null), cfg), 1);   // saves the prompt's KV
        assertThat(saved.tokens()).as("tiers over a q8_0 KV answer as the q8_0 dense cache").containsExactly(freshQ8.tokens()[0]);
        String manifest = new String(Files.readAllBytes(dir.resolve("chat.kvmanifest")), StandardCharsets.ISO_8859_1);
        assertThat(manifest).as("the manifest records the pages' type").contains("Q8_0");

        GenerationResult reopened = generate(model.openSession(settings(KvPrecision.Q8_0, null), cfg));
        assertThat(reopened.stats().prefilledTokens()).as("the saved q8_0 pages were reused").isZero();
        assertThat(reopened.tokens()).containsExactly(freshQ8.tokens());

        GenerationResult asF16 = generate(model.openSession(settings(KvPrecision.F16, null), cfg));
        assertThat(asF16.stats().prefilledTokens()).as("a q8_0 KV is never read as F16: recomputed")
                .isEqualTo(asF16.stats().promptTokens());
        assertThat(asF16.tokens()).containsExactly(freshF16.tokens());
        assertThat(new String(Files.readAllBytes(dir.resolve("chat.kvmanifest")), StandardCharsets.ISO_8859_1))
                .as("the recomputed KV was saved as F16").contains("F16").doesNotContain("Q8_0");

        GenerationResult asQ4 = generate(model.openSession(settings(KvPrecision.Q4_0, null), cfg));
        assertThat(asQ4.stats().prefilledTokens()).as("nor an F16 KV as q4_0").isEqualTo(asQ4.stats().promptTokens());
    }

    @Test
    void tiersOverAQuantizedKvAttendLikeTheDenseQuantizedCache() {
        int[] prompt = TinyModelFiles.promptTokens(300, 9);
        int[] want = new int[4], got = new int[4];
        float[][] dense, tiered;
        try (SequenceEngine s = model.openSequence(settings(KvPrecision.Q4_0, null))) {
            dense = KvFixture.greedy(s, prompt, 4, want);
        }
        long kv = KvPrecision.Q4_0.bytesPerToken(model.hparams().layers(), model.hparams().kvWidth()) * CONTEXT;
        KvOffload cfg = KvOffload.ofMegabytes(null, KvKey.named("q4"), 0, -1).withPageTokens(16).withWindow(16, 64)
                .withHostBytes(kv / 4).withAttendTokens(CONTEXT);
        try (SequenceEngine s = model.openSequence(settings(KvPrecision.Q4_0, null), cfg)) {
            tiered = KvFixture.greedy(s, prompt, 4, got);
            assertThat(s.tieredKv().type()).isEqualTo(KvPrecision.Q4_0.ggmlType());
        }
        assertThat(got).containsExactly(want);
        for (int i = 0; i < dense.length; i++) assertThat(tiered[i]).as("step " + i).containsExactly(dense[i]);
    }

    @Test
    void aModelWhoseHeadsAQuantizedBlockDoesNotFitFallsBackToF16WithANotice() {
        Path hd16 = TinyModelFiles.get("llama", GgmlType.F32);   // heads of 16 values
        try (InferenceModel m = Engines.load(hd16, EngineOptions.defaults().withThreads(2).withKvPrecision(KvPrecision.Q4_0))) {
            assertThat(m.notice()).hasValueSatisfying(n -> assertThat(n).contains("KV precision q4_0 is off").contains("16-bit"));
            assertThat(((CanopyInferenceModel) m).defaultSettings().kvType()).isEqualTo(KvPrecision.F16.ggmlType());
            try (GenerationSession s = m.openSession()) {
                assertThat(s.generate(GenerationRequest.greedy(STORY, 3), GenerationListener.NONE).tokens()).hasSize(3);
            }
            CanopyInferenceModel c = (CanopyInferenceModel) m;
            try (GgmlBackend cpu = GgmlBackend.cpu(1)) {
                assertThatThrownBy(() -> IswaKvCache.allocate(cpu, c.hparams(), 256, 1, 256, 64, KvPrecision.Q8_0.ggmlType()))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
            }
        }
    }

    @Test
    void theLlamaCppFallbackRunsAQuantizedKvOrFallsBackWithANotice() {
        EngineOptions llama = EngineOptions.defaults().withEngine(EngineKind.LLAMA).withThreads(2).withContext(512);
        for (KvPrecision p : KvPrecision.values()) {
            try (InferenceModel m = Engines.load(TinyModelFiles.llamaWithHeadDim32(), llama.withKvPrecision(p))) {
                assertThat(m.notice()).as(p + " fits heads of 32").isEmpty();
                try (GenerationSession s = m.openSession()) {
                    assertThat(s.generate(GenerationRequest.greedy(STORY, 3), GenerationListener.NONE).tokens()).hasSize(3);
                }
            }
        }
        try (InferenceModel m = Engines.load(TinyModelFiles.get("llama", GgmlType.F32), llama.withKvPrecision(KvPrecision.Q8_0))) {
            assertThat(m.notice()).hasValueSatisfying(n -> assertThat(n).contains("KV precision q8_0 is off"));
            try (GenerationSession s = m.openSession()) {
                assertThat(s.generate(GenerationRequest.greedy(STORY, 3), GenerationListener.NONE).tokens()).hasSize(3);
            }
        }
    }

    private static GenerationResult generate(GenerationSession s) {
        return generate(s, 6);
    }

    private static GenerationResult generate(GenerationSession s, int tokens) {
        try (s) {
            return s.generate(GenerationRequest.greedy(STORY, tokens), GenerationListener.NONE);
        }
    }

    private static boolean finite(float[] v) {
        for (float x : v) if (!Float.isFinite(x)) return false;
        return true;
    }
}
