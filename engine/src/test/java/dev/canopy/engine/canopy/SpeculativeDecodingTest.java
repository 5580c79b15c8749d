package dev.canopy.engine.canopy;

import dev.canopy.kv.KvKey;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.Speculation;
import dev.canopy.engine.StopReason;
import dev.canopy.engine.kv.KvOffload;
import dev.canopy.engine.speculative.Drafter;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.llama.SamplerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Speculative decoding gives the greedy tokens of one-at-a-time decoding, token for token, and the
 * KV state decision 0120 defines: the cache holds exactly the confirmed tokens, rejected rows leave
 * no trace (bitwise), and each cell is bitwise what one-token decoding writes wherever the step
 * kernels agree (quantized weights, windows under 512 cells), otherwise within their rounding.
 */
class SpeculativeDecodingTest {
    private static final Path PASSKEY = Path.of("../../shared/models/passkey-llama-6l-384.gguf");
    private static final String STORY = "Once upon a time, in a small village by the sea, there lived an old fisherman who had a"
            + " daughter, a cat, three boats and a garden full of tomatoes. Every morning he walked down to the harbor.";
    private static final String QUOTE = "The old house sees the red river. The big garden finds the small window."
            + " The dark forest builds the new table.";

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3", "phi3", "gemma2", "gemma3"})
    void everyArchitectureGivesTheSameTokensAndCache(String arch) {
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(512).withChunk(32);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get(arch, GgmlType.F32)), options)) {
            String prompt = STORY + " " + STORY;
            Run plain = run(m, prompt, 40, Speculation.off(), null);
            // drafts from the answer itself, every third one wrong in the middle: confirmations and rejections
            Run oracle = run(m, prompt, 40, Speculation.lookup(7), new Oracle(plain.result.tokens(), plain.result.stats().promptTokens()));
            assertSameAnswer(plain, oracle);
            assertThat(oracle.result.stats().acceptedTokens()).as("confirmed drafts").isPositive();
            assertThat(oracle.result.stats().acceptedTokens()).as("rejected drafts").isLessThan(oracle.result.stats().draftedTokens());
            assertKvClose(plain, oracle, m);
            Run lookup = run(m, prompt, 40, Speculation.lookup(6), null);   // prompt lookup itself
            assertSameAnswer(plain, lookup);
            assertThat(lookup.result.stats().speculationNote()).isNull();
        }
    }

    @Test
    void quantizedWeightsGiveBitwiseTheKvOfOneTokenDecoding() {
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(512).withChunk(32);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get("llama", GgmlType.Q8_0)), options)) {
            Run plain = run(m, STORY, 40, Speculation.off(), null);
            Run oracle = run(m, STORY, 40, Speculation.lookup(7), new Oracle(plain.result.tokens(), plain.result.stats().promptTokens()));
            assertSameAnswer(plain, oracle);
            assertThat(oracle.result.stats().acceptedTokens()).isPositive();
            for (int il = 0; il < m.hparams().layers(); il++) {
                assertThat(oracle.keys[il]).as("K of layer %d", il).isEqualTo(plain.keys[il]);
                assertThat(oracle.values[il]).as("V of layer %d", il).isEqualTo(plain.values[il]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gemma3"})
    void rejectedRowsLeaveNoTrace(String arch) {
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(512).withChunk(32);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get(arch, GgmlType.F32)), options)) {
            int[] prompt = new int[45];
            for (int i = 0; i < prompt.length; i++) prompt[i] = 10 + (i * 37) % 200;
            float[] afterRejected, afterConfirmed;
            byte[][] kvRejected, kvConfirmed;
            try (SequenceEngine s = m.openSequence(m.defaultSettings())) {
                s.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE);
                s.verify(new int[] {77, 78, 3, 4, 5, 6, 7}, 8);       // 3..7 rejected
                s.truncate(prompt.length + 2);
                kvRejected = kv(s, m);
                afterRejected = s.decode(91);
            }
            try (SequenceEngine s = m.openSequence(m.defaultSettings())) {
                s.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE);
                s.verify(new int[] {77, 78}, 8);
                kvConfirmed = kv(s, m);
                afterConfirmed = s.decode(91);
            }
            for (int i = 0; i < kvRejected.length; i++) assertThat(kvRejected[i]).as("K/V %d", i).isEqualTo(kvConfirmed[i]);
            assertThat(afterRejected).as("the next step's logits, bitwise").isEqualTo(afterConfirmed);
        }
    }

    @Test
    void passkeyModelQuotingItsPromptGivesTheSameTokens() {
        assumeTrue(Files.exists(PASSKEY), "passkey model not present");
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(1024).withChunk(64);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(PASSKEY), options)) {
            String prompt = QUOTE + " " + QUOTE + " " + QUOTE + " " + QUOTE;
            Run plain = run(m, prompt, 48, Speculation.off(), null);
            Run fast = run(m, prompt, 48, Speculation.lookup(8), null);
            assertSameAnswer(plain, fast);
            assertThat(fast.result.stats().acceptedTokens()).as("the model repeats its prompt: drafts are confirmed").isPositive();
            assertThat(fast.result.stats().acceptanceRate()).isBetween(0.0, 1.0);
            assertKvClose(plain, fast, m);
        }
    }

    @Test
    void dhsaWithDenseDecodeSpeculatesAndASparseDecodeBudgetSaysWhyNot() {
        assumeTrue(Files.exists(PASSKEY), "passkey model not present");
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(1024).withChunk(64);
        String prompt = QUOTE + " " + QUOTE + " " + QUOTE + " " + QUOTE + " " + QUOTE + " " + QUOTE;
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(PASSKEY), options)) {
            RunSettings dhsa = m.defaultSettings().withAttention(m.defaultSettings().attention().withMode(AttentionMode.DHSA)
                    .withSinkAndWindow(16, 16).withBudget(160));
            GenerationResult plain = generate(m, dhsa, prompt, Speculation.off());
            GenerationResult fast = generate(m, dhsa, prompt, Speculation.lookup(8));
            assertThat(fast.tokens()).containsExactly(plain.tokens());
            assertThat(fast.stats().acceptedTokens()).isPositive();

            RunSettings sparseDecode = dhsa.withAttention(dhsa.attention().withDecodeBudget(100));
            GenerationResult off = generate(m, sparseDecode, prompt, Speculation.lookup(8));
            assertThat(off.stats().draftedTokens()).isZero();
            assertThat(off.stats().speculationNote()).contains("--decode-budget");
            assertThat(off.tokens()).containsExactly(generate(m, sparseDecode, prompt, Speculation.off()).tokens());
        }
    }

    @Test
    void kvTiersAndSamplingDecodeOneTokenAtATimeAndSayWhy() {
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(512).withChunk(32);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get("llama", GgmlType.F32)), options)) {
            GenerationRequest r = GenerationRequest.greedy(STORY + " " + STORY, 20);
            GenerationResult plain;
            try (CanopyGenerationSession s = (CanopyGenerationSession) m.openSession()) {
                plain = s.generate(r, GenerationListener.NONE);
            }
            try (var s = m.openSession(m.defaultSettings(), KvOffload.ofMegabytes(null, KvKey.named("spec"), 0, -1))) {
                GenerationResult tiered = s.generate(r.withSpeculation(Speculation.lookup(4)), GenerationListener.NONE);
                assertThat(tiered.stats().draftedTokens()).isZero();
                assertThat(tiered.stats().speculationNote()).contains("KV tiers");
                assertThat(tiered.tokens()).containsExactly(plain.tokens());
            }
            try (CanopyGenerationSession s = (CanopyGenerationSession) m.openSession()) {
                GenerationResult penalized = s.generate(r.withSpeculation(Speculation.lookup(4))
                        .withSampling(SamplerSettings.balanced(3)), GenerationListener.NONE);
                assertThat(penalized.stats().draftedTokens()).isZero();
                assertThat(penalized.stats().speculationNote()).contains("repetition penalties");
            }
        }
    }

    @Test
    void cancellingWhileConfirmedTokensStreamLeavesTheSessionUsable() {
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(512).withChunk(32);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get("llama", GgmlType.F32)), options)) {
            Run plain = run(m, STORY, 40, Speculation.off(), null);
            int promptTokens = plain.result.stats().promptTokens();
            try (CanopyGenerationSession s = (CanopyGenerationSession) m.openSession()) {
                s.drafterOverride((context, size, limit) -> {       // the answer itself: whole steps confirmed
                    int g = size - promptTokens;
                    return Arrays.copyOfRange(plain.result.tokens(), Math.min(g, plain.result.tokens().length),
                            Math.min(g + limit, plain.result.tokens().length));
                });
                CancellationToken cancel = new CancellationToken();
                AtomicInteger pieces = new AtomicInteger();
                GenerationListener stopAfter5 = new GenerationListener() {
                    @Override public void onText(String delta) { if (pieces.incrementAndGet() == 5) cancel.cancel(); }
                };
                GenerationRequest r = GenerationRequest.greedy(STORY, 40).withSpeculation(Speculation.lookup(8));
                GenerationResult cut = s.generate(r.withCancel(cancel), stopAfter5);
                assertThat(cut.stopReason()).isEqualTo(StopReason.CANCELLED);
                assertThat(cut.stats().acceptedTokens()).as("the cancel came while a verified step streamed").isPositive();
                int n = cut.tokens().length;
                assertThat(cut.tokens()).containsExactly(Arrays.copyOf(plain.result.tokens(), n));
                assertThat(s.sequence().history()).as("the cache holds the prompt and the tokens given")
                        .containsExactly(Arrays.copyOf(plain.history, promptTokens + n));
                s.drafterOverride(null);
                GenerationResult again = s.generate(r, GenerationListener.NONE);
                assertThat(again.tokens()).as("the session answers again as a fresh one").containsExactly(plain.result.tokens());
            }
        }
    }

    @Test
    void aModelDraftingForItselfGivesTheSameTokens() {
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(512).withChunk(32);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get("llama", GgmlType.F32)), options)) {
            Run plain = run(m, STORY, 40, Speculation.off(), null);
            Run self = run(m, STORY, 40, Speculation.draft(m, 7), null);
            assertSameAnswer(plain, self);
            assertThat(self.result.stats().acceptanceRate()).as("its own draft is confirmed").isGreaterThan(0.8);
            assertKvClose(plain, self, m);
        }
    }

    @Test
    void passkeyModelDraftingForItselfGivesTheSameTokens() {
        assumeTrue(Files.exists(PASSKEY), "passkey model not present");
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(1024).withChunk(64);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(PASSKEY), options)) {
            String prompt = QUOTE + " " + QUOTE;
            Run plain = run(m, prompt, 40, Speculation.off(), null);
            Run self = run(m, prompt, 40, Speculation.draft(m, 7), null);
            assertSameAnswer(plain, self);
            assertThat(self.result.stats().acceptanceRate()).isGreaterThan(0.8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"penalties", "grammar"})
    void greedyDecodingWithPenaltiesOrAGrammarGivesTheSameTokens(String what) {
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(512).withChunk(32);
        SamplerSettings greedy = what.equals("penalties")
                ? new SamplerSettings(0f, 0, 1f, 0f, 1.3f, 64, 0, null).withPenalties(0.4f, 0.4f)
                : SamplerSettings.greedy().withGrammar("root ::= [a-z ]+");
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get("llama", GgmlType.F32)), options)) {
            GenerationRequest r = GenerationRequest.greedy(STORY + " " + STORY, 40).withSampling(greedy);
            Run plain = run(m, r, null);
            Run oracle = run(m, r.withSpeculation(Speculation.lookup(7)), new Oracle(plain.result.tokens(), plain.result.stats().promptTokens()));
            assertThat(oracle.result.stats().speculationNote()).isNull();
            assertSameAnswer(plain, oracle);
            assertThat(oracle.result.stats().acceptedTokens()).as("confirmed drafts").isPositive();
            assertThat(oracle.result.stats().acceptedTokens()).as("rejected drafts").isLessThan(oracle.result.stats().draftedTokens());
        }
    }

    @Test
    void sampledSpeculationIsReproducibleAndCachesExactlyItsTokens() {
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(512).withChunk(32);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get("llama", GgmlType.F32)), options)) {
            Speculation self = Speculation.draft(m, 7);            // a greedy draft: often right at a low temperature
            GenerationRequest r = GenerationRequest.greedy(STORY, 40).withSpeculation(self);
            Run a = run(m, r.withSampling(sampling(11)), null);
            Run b = run(m, r.withSampling(sampling(11)), null);
            Run c = run(m, r.withSampling(sampling(12)), null);
            assertThat(a.result.stats().speculationNote()).isNull();
            assertThat(a.result.stopReason()).isIn(StopReason.MAX_TOKENS, StopReason.END_OF_TEXT);
            assertThat(a.result.tokens()).isNotEmpty();
            assertThat(a.result.stats().acceptedTokens()).as("confirmed drafts").isPositive();
            assertThat(a.result.stats().acceptedTokens()).as("rejected drafts").isLessThan(a.result.stats().draftedTokens());
            assertThat(b.result.tokens()).as("the same seed, the same tokens").containsExactly(a.result.tokens());
            assertThat(b.result.text()).isEqualTo(a.result.text());
            assertThat(c.result.tokens()).as("another seed, another answer").isNotEqualTo(a.result.tokens());

            // the cache holds the prompt and the answer, as decoding them one token at a time leaves it
            int promptTokens = a.result.stats().promptTokens();
            int[] answer = a.result.tokens();
            assertThat(Arrays.copyOfRange(a.history, promptTokens, a.history.length))
                    .containsExactly(Arrays.copyOf(answer, a.history.length - promptTokens));
            try (SequenceEngine s = m.openSequence(m.defaultSettings())) {
                s.prefill(Arrays.copyOf(a.history, promptTokens), 0, new CancellationToken(), GenerationListener.NONE);
                for (int i = promptTokens; i < a.history.length; i++) s.decode(a.history[i]);
                assertThat(s.history()).containsExactly(a.history);
                for (int il = 0; il < m.hparams().layers(); il++) {
                    assertClose(a.keys[il], s.kvRows(il, true, s.used()), "K of layer " + il);
                    assertClose(a.values[il], s.kvRows(il, false, s.used()), "V of layer " + il);
                }
            }
        }
    }

    @Test
    void cancellingSampledSpeculationMidVerificationLeavesTheSessionUsable() {
        EngineOptions options = EngineOptions.defaults().withThreads(2).withContext(512).withChunk(32);
        try (CanopyInferenceModel m = CanopyInferenceModel.load(ModelInspector.inspect(TinyModelFiles.get("llama", GgmlType.F32)), options)) {
            GenerationRequest r = GenerationRequest.greedy(STORY, 40).withSpeculation(Speculation.draft(m, 7)).withSampling(sampling(5));
            Run fresh = run(m, r, null);
            try (CanopyGenerationSession s = (CanopyGenerationSession) m.openSession()) {
                CancellationToken cancel = new CancellationToken();
                AtomicInteger pieces = new AtomicInteger();
                GenerationListener stopAfter8 = new GenerationListener() {
                    @Override public void onText(String delta) { if (pieces.incrementAndGet() == 8) cancel.cancel(); }
                };
                GenerationResult cut = s.generate(r.withCancel(cancel), stopAfter8);
                assertThat(cut.stopReason()).isEqualTo(StopReason.CANCELLED);
                assertThat(cut.stats().draftedTokens()).isPositive();
                int n = cut.tokens().length;
                assertThat(cut.tokens()).as("the same seed: the start of the answer").containsExactly(Arrays.copyOf(fresh.result.tokens(), n));
                assertThat(s.sequence().history()).as("the cache holds the prompt and the tokens given")
                        .containsExactly(Arrays.copyOf(fresh.history, cut.stats().promptTokens() + n));
                GenerationResult again = s.generate(r, GenerationListener.NONE);
                assertThat(again.tokens()).as("the session answers again as a fresh one").containsExactly(fresh.result.tokens());
            }
        }
    }

    /** Temperature 0.5 after top-k 40, top-p 0.95 and min-p 0.05, no penalties: speculative sampling applies. */
    private static SamplerSettings sampling(long seed) {
        return new SamplerSettings(0.5f, 40, 0.95f, 0.05f, 1f, 64, seed, null);
    }

    /** Proposes the known answer, with every third draft wrong in its middle, and junk past its end. */
    private static final class Oracle implements Drafter {
        private final int[] truth;
        private final int promptTokens;
        private int calls;

        Oracle(int[] truth, int promptTokens) {
            this.truth = truth;
            this.promptTokens = promptTokens;
        }

        @Override
        public int[] propose(int[] context, int size, int limit) {
            int g = size - promptTokens;
            int[] d = new int[limit];
            for (int i = 0; i < limit; i++) d[i] = g + i < truth.length ? truth[g + i] : context[size - 1];
            if (++calls % 3 == 0) d[limit / 2] = d[limit / 2] == 0 ? 1 : d[limit / 2] - 1;
            return d;
        }
    }

    private record Run(GenerationResult result, int[] history, byte[][] keys, byte[][] values) {}

    private static Run run(CanopyInferenceModel m, String prompt, int tokens, Speculation speculation, Drafter drafter) {
        return run(m, GenerationRequest.greedy(prompt, tokens).withSpeculation(speculation), drafter);
    }

    private static Run run(CanopyInferenceModel m, GenerationRequest request, Drafter drafter) {
        try (CanopyGenerationSession s = (CanopyGenerationSession) m.openSession()) {
            s.drafterOverride(drafter);
            GenerationResult r = s.generate(request, GenerationListener.NONE);
            SequenceEngine seq = s.sequence();
            int layers = m.hparams().layers();
            byte[][] k = new byte[layers][], v = new byte[layers][];
            for (int il = 0; il < layers; il++) {
                if (seq.ringLayer(il)) continue;        // a ring's cells are compared through the tokens that follow
                k[il] = seq.kvRows(il, true, seq.used());
                v[il] = seq.kvRows(il, false, seq.used());
            }
            return new Run(r, seq.history(), k, v);
        }
    }

    private static GenerationResult generate(CanopyInferenceModel m, RunSettings settings, String prompt, Speculation sp) {
        try (var s = m.openSession(settings)) {
            return s.generate(GenerationRequest.greedy(prompt, 40).withSpeculation(sp), GenerationListener.NONE);
        }
    }

    private static byte[][] kv(SequenceEngine s, CanopyInferenceModel m) {
        int layers = m.hparams().layers();
        byte[][] out = new byte[2 * layers][];
        for (int il = 0; il < layers; il++) {
            if (s.ringLayer(il)) continue;
            out[2 * il] = s.kvRows(il, true, s.used());
            out[2 * il + 1] = s.kvRows(il, false, s.used());
        }
        return out;
    }

    private static void assertSameAnswer(Run plain, Run fast) {
        assertThat(fast.result.tokens()).as("tokens").containsExactly(plain.result.tokens());
        assertThat(fast.result.stopReason()).isEqualTo(plain.result.stopReason());
        assertThat(fast.history).as("the cached tokens").containsExactly(plain.history);
        assertThat(plain.result.stats().draftedTokens()).isZero();
    }

    /** F16 cells equal to within the rounding of the multi-row kernels: 1% of the layer's largest magnitude. */
    private static void assertKvClose(Run plain, Run fast, CanopyInferenceModel m) {
        for (int il = 0; il < m.hparams().layers(); il++) {
            if (plain.keys[il] == null) continue;
            assertClose(fast.keys[il], plain.keys[il], "K of layer " + il);
            assertClose(fast.values[il], plain.values[il], "V of layer " + il);
        }
    }

    private static void assertClose(byte[] a, byte[] b, String what) {
        assertThat(a.length).isEqualTo(b.length);
        double max = 0, diff = 0;
        for (int i = 0; i < a.length; i += 2) {
            float x = f16(a, i), y = f16(b, i);
            max = Math.max(max, Math.abs(y));
            diff = Math.max(diff, Math.abs(x - y));
        }
        assertThat(diff).as(what).isLessThanOrEqualTo(0.01 * max);
    }

    private static float f16(byte[] b, int i) {
        return Float.float16ToFloat((short) ((b[i] & 0xff) | (b[i + 1] << 8)));
    }
}
