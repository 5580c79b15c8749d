package dev.canopy.engine.kv;

import dev.canopy.kv.KvKey;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.canopy.LlamaReference;
import dev.canopy.engine.canopy.RunSettings;
import dev.canopy.engine.canopy.SequenceEngine;
import dev.canopy.engine.runtime.WindowPolicy;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.gguf.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static dev.canopy.engine.kv.KvFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sparse attention (DHSA) over the tiered KV store: while the working set holds every key the
 * graph selects from the gathered rows exactly as from a dense cache; when it cannot, the tiers'
 * own page selection is the sparse step and the graph runs dense over it.
 */
class SparseOverTiersTest {
    private static CanopyInferenceModel model;
    @TempDir static Path dir;

    @BeforeAll
    static void load() {
        model = KvFixture.load(TinyModelFiles.get("llama", GgmlType.F32));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** DHSA with a budget of 128 keys (sink 16, window 32), every chunk sparse, decode dense. */
    private static RunSettings dhsa() {
        SparseAttentionSettings s = SparseAttentionSettings.of(AttentionMode.DHSA).withSinkAndWindow(16, 32)
                .withBudget(128).withExactLastChunk(false);
        return new RunSettings(CONTEXT, CHUNK, 2, llama_h.GGML_TYPE_F16(), WindowPolicy.POWER_OF_TWO, s);
    }

    @Test
    void dhsaOverTiersHoldingEveryKeySelectsAndAnswersLikeDhsaOverTheDenseCache() {
        int[] prompt = TinyModelFiles.promptTokens(420, 3);
        int[] denseTokens = new int[8], tieredTokens = new int[8];
        float[][] dense, tiered;
        int[] denseKept, tieredKept;
        try (SequenceEngine s = model.openSequence(dhsa())) {
            denseKept = keptAfterPrefill(s, prompt);
            dense = greedy(s, prompt, 8, denseTokens);
        }
        try (SequenceEngine s = model.openSequence(dhsa(), denseOverTiers(model, null, "dhsa", 0.10))) {
            assertThat(s.tieredKv().dense()).as("the working set holds every key").isTrue();
            tieredKept = keptAfterPrefill(s, prompt);
            tiered = greedy(s, prompt, 8, tieredTokens);
        }
        assertThat(tieredKept).as("the last prompt chunk ran sparse over the tiers").isNotNull().hasSize(128);
        assertThat(tieredKept).as("same keys kept as over the dense cache").containsExactly(denseKept);
        assertThat(tieredTokens).containsExactly(denseTokens);
        for (int i = 0; i < dense.length; i++) {
            assertThat(LlamaReference.maxAbsDiff(tiered[i], dense[i])).as("logits after step %d", i).isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void aReopenedDhsaConversationContinuesLikeOneThatNeverClosed() {
        int[] prompt = TinyModelFiles.promptTokens(300, 4);
        int[] followUp = TinyModelFiles.promptTokens(120, 5);
        int[] both = Arrays.copyOf(prompt, prompt.length + followUp.length);
        System.arraycopy(followUp, 0, both, prompt.length, followUp.length);
        float[] reference;
        try (SequenceEngine s = model.openSequence(dhsa(), denseOverTiers(model, null, "ref", 0.10))) {
            s.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE);
            reference = s.prefill(both, prompt.length, new CancellationToken(), GenerationListener.NONE).logits();
        }
        try (SequenceEngine s = model.openSequence(dhsa(), denseOverTiers(model, dir, "saved", 0.10))) {
            s.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE);
        }
        try (SequenceEngine s = model.openSequence(dhsa(), denseOverTiers(model, dir, "saved", 0.10))) {
            assertThat(s.resume(both)).as("the first turn's KV comes back from disk").isEqualTo(prompt.length);
            float[] logits = s.prefill(both, prompt.length, new CancellationToken(), GenerationListener.NONE).logits();
            assertThat(s.lastSelection(0)).as("the follow-up ran sparse").isNotNull();
            assertThat(s.chunkStarts()).as("boundaries found again from the restored keys").isNotEmpty();
            assertThat(LlamaReference.maxAbsDiff(logits, reference)).isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void whenTheWorkingSetCannotHoldEveryKeyTheTiersSelectionRunsDense() {
        int[] prompt = TinyModelFiles.promptTokens(420, 6);
        KvOffload cfg = KvOffload.ofMegabytes(null, KvKey.named("budget"), 0, -1).withPageTokens(PAGE).withWindow(PAGE, 48)
                .withHostBytes((long) (kvBytes(model) * 0.6));
        int[] tokens = new int[4];
        try (SequenceEngine s = model.openSequence(dhsa(), cfg)) {
            assertThat(s.tieredKv().dense()).isFalse();
            assertThat(keptAfterPrefill(s, prompt)).as("past the working set the tiers chose the keys: the graph is dense").isNull();
            float[][] logits = greedy(s, prompt, 4, tokens);
            assertThat(LlamaReference.spread(logits[0])).isGreaterThan(0.1);
            assertThat(s.used()).isEqualTo(prompt.length + 4);
            assertThat(logits[4]).hasSize(model.hparams().vocab());
        }
    }

    /** The keys layer 1 kept for the prompt's last chunk (null when that chunk ran dense). */
    private static int[] keptAfterPrefill(SequenceEngine s, int[] prompt) {
        s.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE);
        return s.lastSelection(1);
    }
}
