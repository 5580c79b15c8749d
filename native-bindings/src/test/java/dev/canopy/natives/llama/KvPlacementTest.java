package dev.canopy.natives.llama;

import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.NativeLog;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where llama.cpp keeps a context's KV, read from its own log: in RAM on a CPU-only model, and with
 * GPU layers on the GPU unless {@link ContextParams#withKvOnGpu} says otherwise ({@code --no-kv-offload},
 * the baseline of {@code canopy bench-kv --gpu-layers}). The GPU part runs where ggml lists a GPU.
 */
class KvPlacementTest {
    private static final int CONTEXT = 4096;
    // 2 layers x (K + V) x 4096 cells x 2 KV heads x 16 dims x 2 bytes (F16) = 1 MiB
    private static final double KV_MIB = 2.0 * 2 * CONTEXT * 2 * 16 * 2 / (1 << 20);

    @TempDir Path dir;

    @Test
    void aCpuModelKeepsItsKvInRam() throws Exception {
        Map<String, Double> kv = kvBuffers(ModelParams.cpu(), true);
        assertThat(kv).containsOnlyKeys("CPU");
        assertThat(kv.get("CPU")).isCloseTo(KV_MIB, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void gpuLayersKeepTheirKvOnTheGpuUnlessToldNotTo() throws Exception {
        assumeTrue(NativeRuntime.get().devices().stream().anyMatch(BackendDevice::isGpu), "no GPU in ggml's device registry");
        Map<String, Double> onGpu = kvBuffers(ModelParams.cpu().withGpuLayers(99), true);
        assertThat(onGpu).doesNotContainKey("CPU").isNotEmpty();
        assertThat(onGpu.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(KV_MIB, org.assertj.core.data.Offset.offset(0.01));
        Map<String, Double> kvOnCpu = kvBuffers(ModelParams.cpu().withGpuLayers(99), false);
        assertThat(kvOnCpu).containsOnlyKeys("CPU");
        assertThat(kvOnCpu.get("CPU")).isCloseTo(KV_MIB, org.assertj.core.data.Offset.offset(0.01));
    }

    private Map<String, Double> kvBuffers(ModelParams params, boolean kvOnGpu) throws Exception {
        Path file = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("kv-" + params.gpuLayers() + "-" + kvOnGpu + ".gguf"));
        try (LlamaModel model = LlamaModel.load(file, params)) {
            NativeLog.takeKvBufferMiB();
            try (LlamaContext ctx = LlamaContext.create(model, ContextParams.of(CONTEXT).withThreads(1).withKvOnGpu(kvOnGpu))) {
                assertThat(ctx.contextTokens()).isEqualTo(CONTEXT);
                return NativeLog.takeKvBufferMiB();
            }
        }
    }
}
