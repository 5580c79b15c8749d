package dev.canopy.engine.canopy;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.kv.DenseKvCache;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.runtime.WindowPolicy;
import dev.canopy.engine.testing.TinyArchModels;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.gguf.GgmlType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sliding-window layers' KV ring (decision 0075) on the tiny gemma models (32-token window):
 * with C = 16 the ring holds 256 cells, so prompts of 300-600 tokens wrap it more than once.
 */
class SlidingWindowKvTest {
    private static final EngineOptions OPTIONS = EngineOptions.defaults().withThreads(1).withContext(1024);
    private static final int RING = 256;
    private static final String STORY = "Once upon a time, in a small village by the sea, there lived an old fisherman who had"
            + " a daughter, a cat, three boats and a garden full of tomatoes. Every morning he walked down to the harbor, greeted"
            + " the baker and the priest, and checked the nets that his neighbors had mended the night before.";   // SwaRing.cellsFor(32, 16, 1024): 32 + 16 padded to 256

    private static CanopyInferenceModel load(String arch) {
        return CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get(arch, GgmlType.F32)), OPTIONS);
    }

    private static RunSettings settings(int context, int chunk, int kvType) {
        return new RunSettings(context, chunk, 1, kvType, WindowPolicy.POWER_OF_TWO);
    }

    private static float[] prefill(SequenceEngine seq, int[] prompt, int from) {
        return seq.prefill(prompt, from, new CancellationToken(), GenerationListener.NONE).logits();
    }

    /** At a 4,096-token context the sliding-window layers hold 512 cells (32 + C=256, padded), not 4,096. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gemma2", "gemma3"})
    void slidingWindowLayersKeepTheirWindowNotTheContext(String arch) {
        int context = 4096, chunk = 256;
        try (CanopyInferenceModel m = load(arch);
             SequenceEngine seq = m.openSequence(settings(context, chunk, llama_h.GGML_TYPE_F16()))) {
            ModelHparams hp = m.hparams();
            int swaLayers = 0;
            for (int il = 0; il < hp.layers(); il++) if (hp.variant().isSwa(il)) swaLayers++;
            assertThat(seq.swaCells()).as("ring cells").isEqualTo(512)
                    .isLessThanOrEqualTo((TinyArchModels.SLIDING_WINDOW + chunk + 255) / 256 * 256);
            long rowBytes = 2L * 2 * hp.kvWidth();                                  // K + V, F16
            long expected = rowBytes * ((hp.layers() - swaLayers) * (context + 1L) + swaLayers * (512 + 1L));
            long before;
            try (GgmlBackend cpu = GgmlBackend.cpu(1);
                 DenseKvCache dense = DenseKvCache.allocate(cpu, hp.layers(), hp.kvWidth(), context, llama_h.GGML_TYPE_F16())) {
                before = dense.bytes();
            }
            System.out.printf("%s KV at %d: %d bytes before, %d after%n", arch, context, before, seq.kvBytes());
            assertThat(seq.kvBytes()).isBetween(expected, expected + 4096L * 2);  // backend alignment only
            assertThat((double) seq.kvBytes() / before).isLessThan(swaLayers * 2 > hp.layers() ? 0.45 : 0.6);
        }
    }

    /**
     * C = 16 wraps the 256-cell ring twice; one-shot (a 768-cell ring) never does. llama.cpp decoding
     * 16 tokens per call with its small SWA cache (swa_full off: 256 cells, filled as the same ring)
     * gives the very same logits; its default full-size SWA cache differs by ~1e-3 (ggml's kernel for
     * few rows accumulates V in F16, so the order of the cells shows in the last bits).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gemma2", "gemma3"})
    void chunkedPrefillAcrossRingWrapsEqualsOneShotAndLlamaDecode(String arch) {
        int[] prompt = TinyModelFiles.promptTokens(600, 13);
        float[] chunked, oneShot, chunkedF16;
        try (CanopyInferenceModel m = load(arch)) {
            try (SequenceEngine seq = m.openSequence(settings(1024, 16, llama_h.GGML_TYPE_F32()))) {
                assertThat(seq.swaCells()).isEqualTo(RING);
                long reserved = seq.prefillComputeBytes();          // set by C and the cache, reserved up front
                chunked = prefill(seq, prompt, 0);
                assertThat(seq.prefillComputeBytes()).isEqualTo(reserved);
                assertThat(seq.prefillGraphsBuilt()).as("windows 256, 512, 1024, reused across chunks").isLessThanOrEqualTo(3);
            }
            try (SequenceEngine seq = m.openSequence(settings(1024, prompt.length, llama_h.GGML_TYPE_F32()))) {
                assertThat(seq.swaCells()).isGreaterThanOrEqualTo(prompt.length);
                oneShot = prefill(seq, prompt, 0);
            }
            try (SequenceEngine seq = m.openSequence(settings(1024, 16, llama_h.GGML_TYPE_F16()))) {
                chunkedF16 = prefill(seq, prompt, 0);
            }
        }
        float[] ref = LlamaReference.lastLogitsChunked(TinyModelFiles.get(arch, GgmlType.F32), prompt, 16);
        double diff = LlamaReference.maxAbsDiff(chunked, oneShot);
        double refDiff = LlamaReference.maxAbsDiff(chunkedF16, ref);
        System.out.printf("ring prefill %s: chunked vs one-shot %.3e, vs llama_decode %.3e%n", arch, diff, refDiff);
        assertThat(LlamaReference.spread(oneShot)).isGreaterThan(0.1);
        assertThat(diff).isLessThanOrEqualTo(1e-4);
        assertThat(refDiff).isZero();
    }

    /**
     * Where every layer slides there is no full-attention layer, so no node reads the full-cache
     * mask and the allocator gives that input no memory; writing it crashed the JVM. The cache then
     * keeps every cell (no ring), and prefill and decode agree with llama.cpp.
     */
    @org.junit.jupiter.api.Test
    void aModelWhoseEveryLayerSlidesMatchesLlamaDecode() {
        Path file = TinyModelFiles.gemma3EveryLayerSliding();
        int[] prompt = TinyModelFiles.promptTokens(200, 23);
        float[] ref = LlamaReference.lastLogitsChunked(file, prompt, 16);
        float[] threeLayerPattern = LlamaReference.lastLogitsChunked(TinyModelFiles.get("gemma3", GgmlType.F32), prompt, 16);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(file), OPTIONS);
             SequenceEngine seq = m.openSequence(settings(1024, 16, llama_h.GGML_TYPE_F16()))) {
            for (int il = 0; il < m.hparams().layers(); il++) assertThat(m.hparams().variant().isSwa(il)).as("layer %d slides", il).isTrue();
            float[] ours = prefill(seq, prompt, 0);
            float[] next = seq.decode(prompt[0]);
            double diff = LlamaReference.maxAbsDiff(ours, ref);
            System.out.printf("every layer sliding: vs llama_decode %.3e%n", diff);
            assertThat(LlamaReference.spread(ours)).isGreaterThan(0.1);
            assertThat(LlamaReference.maxAbsDiff(ref, threeLayerPattern)).as("the pattern changes the model").isGreaterThan(1e-2);
            assertThat(diff).isZero();                 // F16 KV, as llama.cpp's, and chunks of 16 both sides
            assertThat(next).hasSameSizeAs(ours).isNotEqualTo(ours);
        }
    }

    /**
     * Decoding one token at a time to position 320 overwrites every ring cell; llama.cpp decoding
     * stepwise with its own 256-cell SWA ring agrees, and its full-size SWA cache within the
     * tolerance of {@link ArchitectureParityTest#decodedTokensPastTheWindowMatchLlamaDecode}.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gemma2", "gemma3"})
    void decodingFarPastTheRingMatchesLlamaDecodeStepwise(String arch) {
        Path file = TinyModelFiles.get(arch, GgmlType.F32);
        int[] prompt = TinyModelFiles.promptTokens(RING + 64, 17);
        int head = 5;
        float[] ref = LlamaReference.lastLogitsStepwiseSwaRing(file, prompt, head, 16);
        float[] full = LlamaReference.lastLogitsStepwise(file, prompt, head);
        try (CanopyInferenceModel m = load(arch);
             SequenceEngine seq = m.openSequence(settings(1024, 16, llama_h.GGML_TYPE_F16()))) {
            prefill(seq, Arrays.copyOf(prompt, head), 0);
            float[] ours = null;
            for (int i = head; i < prompt.length; i++) ours = seq.decode(prompt[i]);
            double diff = LlamaReference.maxAbsDiff(ours, ref), fullDiff = LlamaReference.maxAbsDiff(ours, full);
            System.out.printf("ring decode %s: vs llama.cpp's ring %.3e, vs its full SWA cache %.3e%n", arch, diff, fullDiff);
            assertThat(diff).isZero();
            assertThat(fullDiff).isLessThanOrEqualTo(5e-3);
        }
    }

    /**
     * A sequence cut back to a prefix whose window the ring still holds continues from it; one cut
     * back further (the ring overwrote the keys its next token sees) is recomputed from the start.
     * Either way the logits are those of a fresh prefill of the same text.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gemma2", "gemma3"})
    void aSequenceCutBackContinuesLikeAFreshPrefill(String arch) {
        int[] first = TinyModelFiles.promptTokens(400, 19);
        int[] extra = TinyModelFiles.promptTokens(40, 23);
        int[] near = concat(Arrays.copyOf(first, 390), extra);  // the ring holds positions 144..399: 359..389 intact
        int[] far = concat(Arrays.copyOf(first, 100), extra);   // 69..99 were overwritten by 325..355
        try (CanopyInferenceModel m = load(arch);
             SequenceEngine seq = m.openSequence(settings(1024, 16, llama_h.GGML_TYPE_F32()));
             SequenceEngine fresh = m.openSequence(settings(1024, 16, llama_h.GGML_TYPE_F32()))) {
            prefill(seq, first, 0);
            assertThat(seq.reusablePrefix(390)).isEqualTo(390);
            assertThat(seq.reusablePrefix(100)).as("the window before 100 is gone").isZero();

            int[] total = new int[1];
            GenerationListener progress = new GenerationListener() {
                @Override public void onPrefillProgress(int done, int all) { total[0] = all; }
            };
            float[] nearLogits = seq.prefill(near, 390, new CancellationToken(), progress).logits();
            assertThat(total[0]).as("only the new tokens").isEqualTo(extra.length);
            double nearDiff = LlamaReference.maxAbsDiff(nearLogits, prefill(fresh, near, 0));
            assertThat(nearDiff).isLessThanOrEqualTo(1e-4);   // chunk boundaries differ: 390.. vs 384..

            assertThat(seq.reusablePrefix(100)).isZero();
            float[] farLogits = seq.prefill(far, 100, new CancellationToken(), progress).logits();
            assertThat(total[0]).as("recomputed from the start").isEqualTo(far.length);
            fresh.reset();
            double farDiff = LlamaReference.maxAbsDiff(farLogits, prefill(fresh, far, 0));
            System.out.printf("cut back %s: near %.3e, far %.3e%n", arch, nearDiff, farDiff);
            assertThat(farDiff).as("the same chunks as a fresh prefill").isLessThanOrEqualTo(1e-6);
            assertThat(seq.history()).containsExactly(far);
        }
    }

    /**
     * A conversation over the ring: a follow-up prefills only its new tokens, regenerating the last
     * answer recomputes one token, and an edit of an early message (as when the oldest turns are
     * dropped to fit the context) cuts back past the ring and is recomputed whole; every answer
     * equals a fresh session's.
     */
    @org.junit.jupiter.api.Test
    void aConversationReusesTheRingOrRecomputesLikeAFreshSession() {
        RunSettings ring = settings(1024, 16, llama_h.GGML_TYPE_F16());
        String story = STORY.repeat(4);
        try (CanopyInferenceModel m = load("gemma2"); GenerationSession s = m.openSession(ring)) {
            GenerationResult first = s.generate(GenerationRequest.greedy(story, 8), GenerationListener.NONE);
            assertThat(first.stats().promptTokens()).as("several rings long").isGreaterThan(RING + 32);
            String follow = story + first.text() + " And then the fisherman said";
            GenerationResult second = s.generate(GenerationRequest.greedy(follow, 8), GenerationListener.NONE);
            assertThat(second.stats().prefilledTokens()).as("only the new tokens").isLessThan(20);
            assertThat(second.tokens()).containsExactly(fresh(m, ring, follow));
            GenerationResult again = s.generate(GenerationRequest.greedy(follow, 8), GenerationListener.NONE);
            assertThat(again.stats().prefilledTokens()).as("regenerate: the last token").isEqualTo(1);
            assertThat(again.tokens()).containsExactly(second.tokens());
            String edited = STORY + " Suddenly a storm came up";
            GenerationResult third = s.generate(GenerationRequest.greedy(edited, 8), GenerationListener.NONE);
            assertThat(third.stats().prefilledTokens()).as("the ring lost the window: all of it")
                    .isEqualTo(third.stats().promptTokens());
            assertThat(third.tokens()).containsExactly(fresh(m, ring, edited));
        }
    }

    /** Several sequences in one batch, each with its own 256-cell ring that wraps, decode as they do alone. */
    @org.junit.jupiter.api.Test
    void batchedSequencesWithWrappingRingsMatchSeparateGenerations() {
        RunSettings ring = settings(1024, 16, llama_h.GGML_TYPE_F16());
        List<String> prompts = List.of(STORY.repeat(4), "The weather today is", STORY.repeat(3) + " and in the evening");
        try (CanopyInferenceModel m = load("gemma2"); GenerationSession s = m.openSession(ring)) {
            List<GenerationResult> batch = s.generateBatch(prompts.stream().map(p -> GenerationRequest.greedy(p, 12)).toList());
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(batch.get(i).tokens()).as("sequence " + i).containsExactly(fresh(m, ring, prompts.get(i), 12));
            }
        }
    }

    private static int[] fresh(CanopyInferenceModel m, RunSettings settings, String prompt) {
        return fresh(m, settings, prompt, 8);
    }

    private static int[] fresh(CanopyInferenceModel m, RunSettings settings, String prompt, int tokens) {
        try (GenerationSession s = m.openSession(settings)) {
            return s.generate(GenerationRequest.greedy(prompt, tokens), GenerationListener.NONE).tokens();
        }
    }

    static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
