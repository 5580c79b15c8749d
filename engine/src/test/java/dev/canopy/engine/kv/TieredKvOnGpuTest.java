package dev.canopy.engine.kv;

import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.canopy.SequenceEngine;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.gguf.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.canopy.engine.kv.KvFixture.CHUNK;
import static dev.canopy.engine.kv.KvFixture.CONTEXT;
import static dev.canopy.engine.kv.KvFixture.denseOverTiers;
import static dev.canopy.engine.kv.KvFixture.greedy;
import static dev.canopy.engine.kv.KvFixture.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * KV tiers under a model whose layers run on a GPU: each layer's working tensors live where the
 * layer runs, and dense attention over the tiers still gives the CPU's answers. Skipped where ggml
 * lists no GPU; CI runs it with Vulkan on lavapipe (README, "GPU").
 */
class TieredKvOnGpuTest {
    @TempDir Path dir;

    @Test
    void denseAttentionOverTiersWithLayersOnTheGpuGivesTheCpuAnswers() {
        assumeTrue(NativeRuntime.get().devices().stream().anyMatch(BackendDevice::isGpu), "no GPU in ggml's device registry");
        Path file = TinyModelFiles.get("llama", GgmlType.F32);
        int[] prompt = TinyModelFiles.promptTokens(300, 5);
        int[] cpuTokens = new int[16], gpuTokens = new int[16];
        float[][] cpu, gpu;
        try (CanopyInferenceModel m = load(file, 0); SequenceEngine s = m.openSequence(settings())) {
            cpu = greedy(s, prompt, 16, cpuTokens);
        }
        try (CanopyInferenceModel m = load(file, -1);
             SequenceEngine s = m.openSequence(settings(), denseOverTiers(m, dir, "gpu", 0.10))) {
            assertThat(m.placement().outputOnGpu()).isTrue();
            gpu = greedy(s, prompt, 16, gpuTokens);
            assertThat(s.tieredKv().dense()).as("every page attended to").isTrue();
        }
        assertThat(gpuTokens).containsExactly(cpuTokens);
        for (int i = 0; i < cpu.length; i++) {
            double diff = 0;
            for (int j = 0; j < cpu[i].length; j++) diff = Math.max(diff, Math.abs(cpu[i][j] - gpu[i][j]));
            assertThat(diff).as("logits after step %d", i).isLessThanOrEqualTo(1e-2);
        }
        assertThat(dir.resolve("gpu.kvpages")).as("the KV was kept on disk").isRegularFile();
    }

    private static CanopyInferenceModel load(Path file, int gpuLayers) {
        return (CanopyInferenceModel) Engines.load(file, EngineOptions.defaults().withThreads(2).withContext(CONTEXT)
                .withChunk(CHUNK).withGpuLayers(gpuLayers));
    }
}
