package dev.canopy.engine.canopy;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.PooledSequence;
import dev.canopy.engine.SequencePool;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.kv.KvOffload;
import dev.canopy.engine.runtime.WindowPolicy;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.kv.KvKey;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.llama.SamplerSettings;
import dev.canopy.natives.rpc.RpcBackend;
import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.natives.rpc.RpcProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Canopy's engine with layers on a worker (decision 0200): a ggml RPC server on this process's CPU, in a
 * background thread (as RpcBackendTest runs it), takes some layers, their weights and their KV; the
 * logits and greedy tokens are the CPU's.
 */
class OtherComputersTest {
    private static RpcEndpoint worker;

    @BeforeAll
    static void startWorker() throws Exception {
        Optional<RpcBackend> rpc = RpcBackend.find();
        assumeTrue(rpc.isPresent(), "OtherComputersTest: skipped, this build has no RPC backend (libggml-rpc; g++ missing?)");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            worker = new RpcEndpoint("127.0.0.1", s.getLocalPort());
        }
        BackendDevice cpu = NativeRuntime.get().devices().stream().filter(d -> d.kind() == BackendDevice.Kind.CPU).findFirst().orElseThrow();
        Thread server = new Thread(() -> rpc.get().serve(worker, Optional.empty(), 1, cpu), "rpc-server");
        server.setDaemon(true);   // ggml's server has no stop; it ends with the test JVM
        server.start();
        RpcProbe.awaitReady(worker, Duration.ofSeconds(20));
    }

    @ParameterizedTest(name = "{0}, layers on the worker {1}")
    @CsvSource({"llama, 2", "llama, -1", "gemma3, -1"})
    void layersOnAWorkerComputeTheCpuLogits(String arch, int gpuLayers) {
        Path file = TinyModelFiles.get(arch, GgmlType.F32);   // gemma3's sliding-window layers keep a ring, here on the worker
        int[] prompt = TinyModelFiles.promptTokens(300, 3);
        float[] cpu, split;
        int[] cpuTokens, splitTokens;
        try (CanopyInferenceModel m = load(file, 0, List.of()); SequenceEngine seq = open(m)) {
            cpu = prefill(seq, prompt);
            cpuTokens = greedy(seq, cpu, 12);
        }
        try (CanopyInferenceModel m = load(file, gpuLayers, List.of(worker)); SequenceEngine seq = open(m)) {
            assertThat(m.split().workers()).containsExactly(worker);
            assertThat(m.split().spans()).as("layer 1 at least on the worker").isNotEmpty();
            assertThat(m.split().output()).as("the output counts as the last offloaded layer").isPresent();
            assertThat(m.gpuWeightBytes()).as("weights copied into the worker's memory").isPositive();
            assertThat(m.runsOn()).contains("on worker " + worker);
            split = prefill(seq, prompt);
            assertThat(seq.lastSplits()).as("the scheduler ran a part on the worker").isGreaterThanOrEqualTo(gpuLayers < 0 ? 1 : 2);
            splitTokens = greedy(seq, split, 12);
        }
        assertThat(LlamaReference.spread(cpu)).isGreaterThan(0.1);
        assertThat(LlamaReference.maxAbsDiff(split, cpu)).isLessThanOrEqualTo(1e-4);
        assertThat(splitTokens).isEqualTo(cpuTokens);
    }

    @Test
    void theTieredKvStoreIsRefusedWithLayersOnAWorker(@org.junit.jupiter.api.io.TempDir Path dir) {
        try (CanopyInferenceModel m = load(TinyModelFiles.get("llama", GgmlType.F32), -1, List.of(worker))) {
            RunSettings settings = m.defaultSettings();
            assertThat(settings.chunkTokens()).as("the CPU's chunk over other computers").isEqualTo(CanopyInferenceModel.DEFAULT_CPU_CHUNK);
            assertThatThrownBy(() -> m.openSequence(settings, KvOffload.ofMegabytes(dir, KvKey.named("c"), 0, 64)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(OtherComputers.NO_TIERS);
        }
    }

    @Test
    void theStepLoopOfTheApiServerDecodesOverAWorkerAsOnTheCpu() {
        Path file = TinyModelFiles.get("llama", GgmlType.F32);
        List<String> prompts = List.of("Once upon a time there was a small village by the river", "The weather today is");
        List<int[]> alone = new java.util.ArrayList<>();
        try (CanopyInferenceModel m = load(file, 0, List.of())) {
            for (String p : prompts) {
                try (GenerationSession s = m.openSession()) {
                    alone.add(s.generate(request(p), GenerationListener.NONE).tokens());
                }
            }
        }
        try (CanopyInferenceModel m = load(file, -1, List.of(worker)); SequencePool pool = m.sequencePool(2).orElseThrow()) {
            List<PooledSequence> joined = List.of(pool.join(0, request(prompts.get(0)), GenerationListener.NONE),
                    pool.join(1, request(prompts.get(1)), GenerationListener.NONE));
            while (!pool.idle()) pool.step();
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(alone.get(i)).as("sequence %d generates", i).isNotEmpty();
                assertThat(joined.get(i).result().tokens()).as("sequence %d", i).containsExactly(alone.get(i));
            }
        }
    }

    private static GenerationRequest request(String prompt) {
        return new GenerationRequest(prompt, 10, SamplerSettings.greedy(), List.of(), new CancellationToken());
    }

    private static CanopyInferenceModel load(Path file, int gpuLayers, List<RpcEndpoint> workers) {
        return CanopyInferenceModel.load(ModelInspector.inspect(file),
                EngineOptions.defaults().withThreads(2).withGpuLayers(gpuLayers).withWorkers(workers));
    }

    private static SequenceEngine open(CanopyInferenceModel m) {
        return m.openSequence(new RunSettings(1024, 64, 2, llama_h.GGML_TYPE_F16(), WindowPolicy.MULTIPLE_OF_256, SparseAttentionSettings.dense()));
    }

    private static float[] prefill(SequenceEngine seq, int[] prompt) {
        return seq.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
    }

    private static int[] greedy(SequenceEngine seq, float[] logits, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int v = 1; v < logits.length; v++) if (logits[v] > logits[best]) best = v;
            out[i] = best;
            logits = seq.decode(best);
        }
        return out;
    }
}
