package dev.canopy.engine.canopy;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.DefaultGpu;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.runtime.WindowPolicy;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.engine.weights.LayerPlacement;
import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.BackendAllocationException;
import dev.canopy.natives.gguf.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * GPU layer placement: which layers go where (runs everywhere), and, where ggml sees a GPU, that
 * layers placed on it through ggml's backend scheduler compute what the CPU computes. CI runs the
 * second part with the Vulkan backend on Mesa's lavapipe (see README, "GPU").
 */
class GpuLayersTest {
    private static final long MIB = 1L << 20;

    @Test
    void asManyAsFitTakesLayersFromTheLastOneAndTheOutputOnlyWithEveryLayer() {
        long[] layers = {10 * MIB, 10 * MIB, 10 * MIB, 10 * MIB};
        assertThat(LayerPlacement.plan(-1, 0, layers, 5 * MIB, 100 * MIB))
                .isEqualTo(new LayerPlacement(4, 4, true, 0));
        assertThat(LayerPlacement.plan(-1, 0, layers, 5 * MIB, 42 * MIB))
                .as("every layer fits, the output head does not").isEqualTo(new LayerPlacement(4, 4, false, 0));
        LayerPlacement two = LayerPlacement.plan(-1, 0, layers, 5 * MIB, 25 * MIB);
        assertThat(two).isEqualTo(new LayerPlacement(4, 2, false, 0));
        assertThat(two.firstGpuLayer()).isEqualTo(2);
        assertThat(two.onGpu(1)).isFalse();
        assertThat(two.onGpu(2)).isTrue();
        assertThat(LayerPlacement.plan(-1, 0, layers, 5 * MIB, 9 * MIB)).isEqualTo(LayerPlacement.cpuOnly(4));
    }

    @Test
    void anExplicitCountIsTheLastLayersAndCountsTheOutputAsOneMoreLikeLlamaCpp() {
        long[] layers = {MIB, MIB, MIB};
        assertThat(LayerPlacement.plan(2, 1, layers, MIB, 1024 * MIB)).isEqualTo(new LayerPlacement(3, 2, false, 1));
        assertThat(LayerPlacement.plan(3, 1, layers, MIB, 1024 * MIB)).isEqualTo(new LayerPlacement(3, 3, false, 1));
        assertThat(LayerPlacement.plan(4, 1, layers, MIB, 1024 * MIB)).isEqualTo(new LayerPlacement(3, 3, true, 1));
        assertThat(LayerPlacement.plan(0, 1, layers, MIB, 1024 * MIB).anyOnGpu()).isFalse();
        assertThat(LayerPlacement.plan(2, -1, layers, MIB, 1024 * MIB)).as("no GPU").isEqualTo(LayerPlacement.cpuOnly(3));
    }

    @Test
    void tensorsGoWithTheirLayer() {
        LayerPlacement p = new LayerPlacement(12, 3, false, 0);
        assertThat(p.onGpu("blk.9.attn_q.weight")).isTrue();
        assertThat(p.onGpu("blk.8.ffn_down.weight")).isFalse();
        assertThat(p.onGpu("blk.11.attn_norm.weight")).isTrue();
        assertThat(p.onGpu("output.weight")).isFalse();
        assertThat(p.onGpu("token_embd.weight")).isFalse();
        LayerPlacement all = new LayerPlacement(12, 12, true, 0);
        assertThat(all.onGpu("output.weight")).isTrue();
        assertThat(all.onGpu("output_norm.weight")).isTrue();
        assertThat(all.onGpu("token_embd.weight")).as("read by row, stays in host memory").isFalse();
        assertThat(all.describe()).isEqualTo("every layer and the output on the GPU");
        assertThat(p.describe()).isEqualTo("3 of 12 layers on the GPU");
        assertThatThrownBy(() -> new LayerPlacement(12, 3, true, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theNoticeSaysHowManyLayersTheGpuTook() {
        assertThat(GpuLayers.shortfall(new LayerPlacement(12, 3, false, 0)))
                .isEqualTo("Only 3 of 12 layers on the GPU fit in the GPU's free memory; the rest runs on the CPU.");
        assertThat(GpuLayers.shortfall(LayerPlacement.cpuOnly(12)))
                .isEqualTo("No layer fits in the GPU's free memory; every layer runs on the CPU.");
    }

    @Test
    void aFullGpuGivesBackTheOutputFirstThenHalfTheLayersDownToCpuOnly() {
        List<LayerPlacement> steps = new ArrayList<>();
        for (LayerPlacement p = new LayerPlacement(16, 16, true, 0); p.anyOnGpu(); p = p.fewer()) steps.add(p);
        assertThat(steps).extracting(LayerPlacement::gpuLayers).containsExactly(16, 16, 8, 4, 2, 1);
        assertThat(steps.get(1).outputOnGpu()).isFalse();
        assertThat(new LayerPlacement(16, 1, false, 0).fewer()).isEqualTo(LayerPlacement.cpuOnly(16));
    }

    @Test
    void loadingRetriesWithFewerGpuLayersWhileTheGpuIsFull() {
        List<Integer> tried = new ArrayList<>();
        LayerPlacement placed = GpuLayers.loadFitting(new LayerPlacement(16, 16, true, 0), p -> {
            tried.add(p.gpuLayers());
            if (p.gpuLayers() > 5) throw new BackendAllocationException("the weights", 1L << 30, "Vulkan0", "");
            return p;
        });
        assertThat(placed).isEqualTo(new LayerPlacement(16, 4, false, 0));
        assertThat(tried).containsExactly(16, 16, 8, 4);
        assertThat(GpuLayers.shortfall(placed)).startsWith("Only 4 of 16 layers on the GPU fit");

        List<Integer> all = new ArrayList<>();
        assertThatThrownBy(() -> GpuLayers.loadFitting(new LayerPlacement(4, 4, false, 0), p -> {
            all.add(p.gpuLayers());
            throw new BackendAllocationException("the weights", 1L << 30, "CPU", "");
        })).isInstanceOf(BackendAllocationException.class).hasMessage("could not allocate 1.0 GiB of CPU memory for the weights (out of memory?)");
        assertThat(all).as("down to CPU only, then the failure is the load's own").containsExactly(4, 2, 1, 0);

        assertThatThrownBy(() -> GpuLayers.loadFitting(new LayerPlacement(4, 4, false, 0), p -> {
            throw new IllegalArgumentException("damaged file");
        })).as("other failures are not retried").hasMessage("damaged file");
    }

    @Test
    void theDefaultGpuIsTheFirstDiscreteOneElseTheFirstIntegratedOne() {
        BackendDevice cpu = new BackendDevice(2, "CPU", "AMD EPYC", BackendDevice.Kind.CPU, MIB, MIB);
        BackendDevice igpu = new BackendDevice(0, "Vulkan0", "Intel(R) UHD Graphics", BackendDevice.Kind.IGPU, MIB, MIB);
        BackendDevice gpu = new BackendDevice(1, "Vulkan1", "NVIDIA GeForce RTX 4070", BackendDevice.Kind.GPU, MIB, MIB);
        BackendDevice gpu2 = new BackendDevice(3, "Vulkan2", "NVIDIA GeForce RTX 4090", BackendDevice.Kind.GPU, MIB, MIB);
        assertThat(DefaultGpu.among(List.of(igpu, gpu, cpu, gpu2))).contains(gpu);
        assertThat(DefaultGpu.among(List.of(cpu, igpu))).contains(igpu);
        assertThat(DefaultGpu.among(List.of(cpu))).isEmpty();
        assertThat(DefaultGpu.label(gpu)).isEqualTo("NVIDIA GeForce RTX 4070 (Vulkan1)");
        assertThat(GpuLayers.runsOn(new LayerPlacement(12, 3, false, 1), List.of(igpu, gpu, cpu)))
                .isEqualTo("GPU NVIDIA GeForce RTX 4070 (Vulkan1): 3 of 12 layers on the GPU");
        assertThat(GpuLayers.runsOn(LayerPlacement.cpuOnly(12), List.of(igpu, gpu, cpu))).isEqualTo("CPU");
    }

    /** The app's default is as many layers as fit ({@code -1}): on a machine where ggml lists a GPU, that GPU. */
    @Test
    void theAppsDefaultPutsTheModelOnTheGpuGgmlListsAndSaysWhich() {
        assumeGpu();
        BackendDevice gpu = DefaultGpu.ofThisMachine().orElseThrow();
        try (CanopyInferenceModel m = load(-1)) {
            assertThat(m.placement().device()).isEqualTo(gpu.index());
            assertThat(m.placement().gpuLayers()).isEqualTo(m.hparams().layers());
            assertThat(m.runsOn()).isEqualTo("GPU " + DefaultGpu.label(gpu) + ": every layer and the output on the GPU");
        }
        try (CanopyInferenceModel m = load(0)) {
            assertThat(m.runsOn()).as("0 GPU layers: CPU only, even with a GPU").isEqualTo("CPU");
        }
    }

    @Test
    void withoutAGpuEveryLayerStaysOnTheCpuWhateverIsAsked() {
        assumeTrue(NativeRuntime.get().devices().stream().noneMatch(BackendDevice::isGpu), "a GPU is present");
        try (CanopyInferenceModel m = load(-1)) {
            assertThat(m.placement()).isEqualTo(LayerPlacement.cpuOnly(m.hparams().layers()));
            assertThat(m.gpuWeightBytes()).isZero();
            assertThat(m.notice()).isEmpty();
            assertThat(m.runsOn()).isEqualTo("CPU");
            try (SequenceEngine seq = open(m, SparseAttentionSettings.dense())) {
                assertThat(prefill(seq, TinyModelFiles.promptTokens(100, 2))).hasSize(m.hparams().vocab());
                assertThat(seq.lastSplits()).as("one graph on the CPU").isEqualTo(1);
            }
        }
    }

    @ParameterizedTest(name = "{0}, gpu layers {1}")
    @CsvSource({"llama, -1", "llama, 1", "qwen2, -1", "gemma3, -1", "gemma3, 1"})
    void layersOnTheGpuComputeTheCpuLogits(String arch, int gpuLayers) {
        assumeGpu();
        Path file = TinyModelFiles.get(arch, GgmlType.F32);   // gemma3's sliding-window layers keep a ring
        int[] prompt = TinyModelFiles.promptTokens(300, 3);
        float[] cpu, gpu;
        int[] cpuTokens, gpuTokens;
        try (CanopyInferenceModel m = load(file, 0); SequenceEngine seq = open(m, SparseAttentionSettings.dense())) {
            cpu = prefill(seq, prompt);
            cpuTokens = greedy(seq, cpu, 16);
        }
        try (CanopyInferenceModel m = load(file, gpuLayers); SequenceEngine seq = open(m, SparseAttentionSettings.dense())) {
            assertThat(m.gpuWeightBytes()).as("weights copied to device memory").isGreaterThan(0);
            assertThat(m.placement().anyOnGpu()).isTrue();
            assertThat(m.placement().gpuLayers()).isEqualTo(gpuLayers < 0 ? m.hparams().layers() : gpuLayers);
            assertThat(m.placement().outputOnGpu()).isEqualTo(gpuLayers < 0);
            gpu = prefill(seq, prompt);
            if (gpuLayers > 0) assertThat(seq.lastSplits()).as("CPU layers, then GPU layers").isGreaterThanOrEqualTo(2);
            gpuTokens = greedy(seq, gpu, 16);
        }
        assertThat(LlamaReference.spread(cpu)).isGreaterThan(0.1);
        assertThat(LlamaReference.maxAbsDiff(gpu, cpu)).isLessThanOrEqualTo(1e-2);
        assertThat(gpuTokens).isEqualTo(cpuTokens);
    }

    @Test
    void batchesOfSequencesOnTheGpuGiveTheCpuTexts() {
        assumeGpu();
        List<String> prompts = List.of("Once upon a time there was a small village by the river", "The weather today is",
                "In the evening the market closes and the");
        List<GenerationRequest> requests = prompts.stream().map(p -> GenerationRequest.greedy(p, 12)).toList();
        List<int[]> cpu, gpu;
        try (CanopyInferenceModel m = load(0); GenerationSession s = m.openSession()) {
            cpu = s.generateBatch(requests).stream().map(GenerationResult::tokens).toList();
        }
        try (CanopyInferenceModel m = load(1); GenerationSession s = m.openSession()) {   // one layer on the GPU
            gpu = s.generateBatch(requests).stream().map(GenerationResult::tokens).toList();
        }
        assertThat(gpu).hasSize(3);
        for (int i = 0; i < 3; i++) assertThat(gpu.get(i)).as("sequence " + i).hasSize(12).containsExactly(cpu.get(i));
    }

    /**
     * ggml's scheduler rewrites a graph when it splits it, so a graph must not be split twice: here
     * the window comes back to 256 cells after 512, and 512 is the whole cache (the graph the
     * compute buffers were sized with).
     */
    @Test
    void windowsThatComeBackAndTheWholeCacheComputeTheCpuLogits() {
        assumeGpu();
        int[] longPrompt = TinyModelFiles.promptTokens(450, 7), shortPrompt = TinyModelFiles.promptTokens(200, 8);
        RunSettings wholeCache = new RunSettings(512, 64, 2, llama_h.GGML_TYPE_F16(), WindowPolicy.MULTIPLE_OF_256);
        float[][] cpu = new float[4][], gpu = new float[4][];
        for (int gpuLayers : new int[] {0, -1}) {
            float[][] out = gpuLayers == 0 ? cpu : gpu;
            try (CanopyInferenceModel m = load(gpuLayers); SequenceEngine seq = m.openSequence(wholeCache)) {
                out[0] = prefill(seq, longPrompt);
                out[1] = seq.decode(argmax(out[0]));
                seq.reset();
                out[2] = prefill(seq, shortPrompt);
                out[3] = seq.decode(argmax(out[2]));
            }
        }
        for (int i = 0; i < cpu.length; i++) {
            assertThat(LlamaReference.spread(gpu[i])).as("step " + i).isGreaterThan(0.1);
            assertThat(LlamaReference.maxAbsDiff(gpu[i], cpu[i])).as("step " + i).isLessThanOrEqualTo(1e-2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"WINDOW", "DHSA"})
    void sparseAttentionRunsWithItsLayersOnTheGpu(AttentionMode mode) {
        assumeGpu();
        int[] prompt = TinyModelFiles.promptTokens(600, 5);
        SparseAttentionSettings sparse = SparseAttentionSettings.of(mode).withSinkAndWindow(16, 32)
                .withBudget(192).withDecodeBudget(160).withExactLastChunk(false);
        float[] cpu, gpu;
        int layers;
        int[][] cpuKept, gpuKept;
        try (CanopyInferenceModel m = load(0); SequenceEngine seq = open(m, sparse)) {
            layers = m.hparams().layers();
            cpu = prefill(seq, prompt);
            cpuKept = selections(seq, layers);
        }
        try (CanopyInferenceModel m = load(-1); SequenceEngine seq = open(m, sparse)) {
            gpu = prefill(seq, prompt);
            gpuKept = selections(seq, layers);
            System.out.printf("%s prefill graph on the GPU: %d splits%n", mode, seq.lastSplits());
        }
        assertThat(argmax(gpu)).isEqualTo(argmax(cpu));
        for (int il = 0; il < layers; il++) {
            assertThat(gpuKept[il]).as("layer " + il).hasSize(192);
            if (mode == AttentionMode.WINDOW) {
                assertThat(gpuKept[il]).as("layer " + il).isEqualTo(cpuKept[il]);
            } else {
                // DHSA ranks chunk scores computed from the keys: the GPU's rounding may swap near ties
                int[] onCpu = cpuKept[il];
                long common = Arrays.stream(gpuKept[il]).filter(c -> Arrays.binarySearch(onCpu, c) >= 0).count();
                assertThat(common).as("layer " + il + " keys kept on both").isGreaterThanOrEqualTo(192 * 9 / 10);
            }
        }
        if (mode == AttentionMode.WINDOW) assertThat(LlamaReference.maxAbsDiff(gpu, cpu)).isLessThanOrEqualTo(1e-2);
    }

    private static int[][] selections(SequenceEngine seq, int layers) {
        int[][] kept = new int[layers][];
        for (int il = 0; il < layers; il++) kept[il] = seq.lastSelection(il);
        return kept;
    }

    private static void assumeGpu() {
        assumeTrue(NativeRuntime.get().devices().stream().anyMatch(BackendDevice::isGpu), "no GPU in ggml's device registry");
    }

    private static CanopyInferenceModel load(int gpuLayers) {
        return load(TinyModelFiles.get("llama", GgmlType.F32), gpuLayers);
    }

    private static CanopyInferenceModel load(Path file, int gpuLayers) {
        return CanopyInferenceModel.load(ModelInspector.inspect(file), EngineOptions.defaults().withThreads(2).withGpuLayers(gpuLayers));
    }

    private static SequenceEngine open(CanopyInferenceModel m, SparseAttentionSettings attention) {
        return m.openSequence(new RunSettings(1024, 64, 2, llama_h.GGML_TYPE_F16(), WindowPolicy.MULTIPLE_OF_256, attention));
    }

    private static float[] prefill(SequenceEngine seq, int[] prompt) {
        return seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
    }

    private static int[] greedy(SequenceEngine seq, float[] logits, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = argmax(logits);
            logits = seq.decode(out[i]);
        }
        return out;
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }
}
