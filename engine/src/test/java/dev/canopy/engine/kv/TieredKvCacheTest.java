package dev.canopy.engine.kv;

import dev.canopy.kv.KvKey;
import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.canopy.SequenceEngine;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.kv.KvBudgets;
import dev.canopy.kv.KvStats;
import dev.canopy.natives.gguf.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.canopy.engine.kv.KvFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine's KV in the tiered store: exact when every page is attended to, bounded when a budget forces selection. */
class TieredKvCacheTest {
    private static CanopyInferenceModel model;

    @BeforeAll
    static void load() {
        model = KvFixture.load(TinyModelFiles.get("llama", GgmlType.F32));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void denseAttentionOverTiersWithTheRamBudgetAtTenPercentIsExact() {
        int[] prompt = TinyModelFiles.promptTokens(300, 5);
        int[] denseTokens = new int[24], tieredTokens = new int[24];
        float[][] dense, tiered;
        try (SequenceEngine s = model.openSequence(settings())) {
            dense = greedy(s, prompt, 24, denseTokens);
        }
        long[] tiers;
        try (SequenceEngine s = model.openSequence(settings(), denseOverTiers(model, null, "exact", 0.10))) {
            tiered = greedy(s, prompt, 24, tieredTokens);
            tiers = s.tieredKv().tierBytes();
        }
        assertThat(tieredTokens).containsExactly(denseTokens);
        for (int i = 0; i < dense.length; i++) assertThat(tiered[i]).as("logits after step %d", i).containsExactly(dense[i]);
        assertThat(tiers[1]).as("host tier within 10% of the KV").isLessThanOrEqualTo(kvBytes(model) / 10);
        long sealedBytes = 2L * model.hparams().layers() * (324 / PAGE) * PAGE * model.hparams().kvWidth() * 2;
        assertThat(tiers[2]).as("every sealed page is in the page file").isGreaterThanOrEqualTo(sealedBytes);
    }

    @Test
    void aRamBudgetBelowTheKvSelectsPagesWithinTheWorkingSet() {
        int[] prompt = TinyModelFiles.promptTokens(420, 6);
        KvOffload cfg = KvOffload.ofMegabytes(null, KvKey.named("budget"), 0, -1).withPageTokens(PAGE).withWindow(PAGE, 48)
                .withHostBytes((long) (kvBytes(model) * 0.6));
        int[] tokens = new int[12];
        try (SequenceEngine s = model.openSequence(settings(), cfg)) {
            TieredKvCache kv = s.tieredKv();
            assertThat(kv.dense()).isFalse();
            int attend = kv.attendTokens();
            assertThat(attend).isLessThan(prompt.length / 2);
            assertThat(kv.workingSetBytes() + kv.hostTierBytes()).isLessThanOrEqualTo(cfg.hostBytes());
            KvStats before = kv.stats();
            float[][] logits = greedy(s, prompt, 12, tokens);
            KvStats d = kv.stats().minus(before);
            assertThat(d.materializedTokens()).as("no layer attended to more than its working set")
                    .isLessThanOrEqualTo((long) d.materializeCalls() * attend);
            assertThat(logits[12]).hasSize(model.hparams().vocab());
            assertThat(s.used()).isEqualTo(prompt.length + 12);
        }
    }

    /** phi3 (fused QKV, pre-scaled queries, LongRoPE factors by the whole context) over tiers is exact too. */
    @Test
    void phi3OverTiersIsExact() {
        int[] prompt = TinyModelFiles.promptTokens(300, 5);
        int[] denseTokens = new int[8], tieredTokens = new int[8];
        try (CanopyInferenceModel phi3 = KvFixture.load(TinyModelFiles.get("phi3", GgmlType.F32))) {
            float[][] dense, tiered;
            try (SequenceEngine s = phi3.openSequence(settings())) {
                dense = greedy(s, prompt, 8, denseTokens);
            }
            try (SequenceEngine s = phi3.openSequence(settings(), denseOverTiers(phi3, null, "phi3", 0.10))) {
                tiered = greedy(s, prompt, 8, tieredTokens);
            }
            assertThat(tieredTokens).containsExactly(denseTokens);
            for (int i = 0; i < dense.length; i++) assertThat(tiered[i]).as("logits after step %d", i).containsExactly(dense[i]);
        }
    }

    @Test
    void slidingWindowModelsRefuseTiersClearly() {
        try (CanopyInferenceModel gemma2 = KvFixture.load(TinyModelFiles.get("gemma2", GgmlType.F32))) {
            assertThatThrownBy(() -> gemma2.openSequence(settings(), denseOverTiers(gemma2, null, "gemma2", 0.10)).close())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sliding-window")
                    .hasMessageContaining("tiered KV");
        }
    }

    @Test
    void aVramBudgetBelowTheGpuLayersKvSizesTheirWorkingSetsFromIt() {
        var hp = model.hparams();
        long perLayerToken = 2L * hp.kvWidth() * 2;                    // K and V, F16, one layer, one token
        long gpuKv = perLayerToken * hp.layers() * CONTEXT;           // every layer on the GPU
        KvOffload cfg = KvOffload.ofMegabytes(null, KvKey.named("vram"), 0, -1).withPageTokens(PAGE).withHostBytes(KvBudgets.UNLIMITED);

        TieredKvSetup cpu = TieredKvSetup.of(hp, model.info().file(), CONTEXT, CHUNK, dev.canopy.kv.KvType.F16,
                withDevice(cfg, gpuKv / 2), 0);
        assertThat(cpu.attendTokens()).as("no GPU layer: RAM decides, and RAM is unlimited").isEqualTo(CONTEXT);
        cpu.deleteScratchFolder();

        long vram = gpuKv * 3 / 4;
        TieredKvSetup gpu = TieredKvSetup.of(hp, model.info().file(), CONTEXT, CHUNK, dev.canopy.kv.KvType.F16,
                withDevice(cfg, vram), hp.layers());
        int attend = (int) (vram / 2 / (perLayerToken * hp.layers()));
        assertThat(gpu.attendTokens()).as("half the VRAM budget holds the working sets").isEqualTo(attend).isLessThan(CONTEXT);
        assertThat(gpu.spec().budgets().deviceBytes()).as("the rest holds device pages")
                .isEqualTo(vram - perLayerToken * hp.layers() * (attend + 1L));
        gpu.deleteScratchFolder();

        TieredKvSetup roomy = TieredKvSetup.of(hp, model.info().file(), CONTEXT, CHUNK, dev.canopy.kv.KvType.F16,
                withDevice(cfg, 2 * gpuKv), hp.layers());
        assertThat(roomy.attendTokens()).as("a budget for the KV and a full working set stays dense").isEqualTo(CONTEXT);
        roomy.deleteScratchFolder();

        assertThatThrownBy(() -> TieredKvSetup.of(hp, model.info().file(), CONTEXT, CHUNK, dev.canopy.kv.KvType.F16,
                withDevice(cfg, gpuKv / 20), hp.layers())).hasMessageContaining("GPU budget").hasMessageContaining("--kv-gpu-mb");
    }

    private static KvOffload withDevice(KvOffload c, long deviceBytes) {
        return new KvOffload(c.directory(), c.key(), deviceBytes, c.hostBytes(), c.diskBytes(), c.attendTokens(),
                c.sinkTokens(), c.windowTokens(), c.pageTokens(), c.coldType());
    }

    @Test
    void aRamBudgetTooSmallForTheWorkingSetIsAClearError() {
        KvOffload cfg = KvOffload.ofMegabytes(null, KvKey.named("tiny"), 0, -1).withPageTokens(PAGE).withHostBytes(kvBytes(model) / 50);
        assertThatThrownBy(() -> model.openSequence(settings(), cfg).close())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--kv-ram-mb")
                .hasMessageContaining("budget of " + KvBudgets.describe(cfg.hostBytes()) + " ").hasMessageNotContaining("of 0 MiB");
    }
}
