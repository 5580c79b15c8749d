package dev.canopy.natives.ggml;

import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.llama_h;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class BackendAllocationTest {
    @Test
    void aBufferLargerThanMemorySaysHowMuchOfWhichMemoryForWhat() {
        NativeRuntime.get();
        long elements = 1L << 49;   // 1 PiB of F16: more than any machine's address space holds
        try (GgmlBackend cpu = GgmlBackend.cpu(1); GgmlContext ctx = GgmlContext.metadata(1, 0)) {
            llama_h.ggml_new_tensor_1d(ctx.handle(), llama_h.GGML_TYPE_F16(), elements);
            BackendAllocationException e = catchThrowableOfType(BackendAllocationException.class,
                    () -> BackendBuffer.allocate(ctx, cpu.bufferType(), "the KV cache"));
            assertThat(e.bytes()).isGreaterThanOrEqualTo(2 * elements);
            assertThat(e.memory()).isEqualTo("CPU");
            assertThat(e.onGpu()).isFalse();
            assertThat(e.what()).isEqualTo("the KV cache");
            assertThat(e).hasMessageStartingWith("could not allocate 1048576.0 GiB of CPU memory for the KV cache (out of memory?)");
        }
    }

    @Test
    void aFailureKnownOnlyFromTheLogTakesItsMemoryAndSizeFromThere() {
        BackendAllocationException e = BackendAllocationException.fromLog("the compute buffers", BackendAllocationException.UNKNOWN_MEMORY,
                List.of("ggml_gallocr_reserve_n: failed to allocate CUDA0 buffer of size 2147483648"));
        assertThat(e.memory()).isEqualTo("CUDA0");
        assertThat(e.bytes()).isEqualTo(2L << 30);
        assertThat(e.onGpu()).isTrue();
        assertThat(e).hasMessageStartingWith("could not allocate 2.0 GiB of CUDA0 memory for the compute buffers")
                .hasMessageContaining("llama.cpp: ggml_gallocr_reserve_n");

        BackendAllocationException unknown = BackendAllocationException.fromLog("the compute graph", "CPU", List.of());
        assertThat(unknown.bytes()).isEqualTo(-1);
        assertThat(unknown).hasMessage("could not allocate CPU memory for the compute graph (out of memory?)");
        assertThat(new BackendAllocationException("x", 1, "CUDA_Host", "").onGpu()).isFalse();
        BackendAllocationException nameless = BackendAllocationException.fromLog("the compute graph", BackendAllocationException.UNKNOWN_MEMORY, List.of());
        assertThat(nameless).hasMessage("could not allocate memory for the compute graph (out of memory?)");
        assertThat(nameless.onGpu()).isFalse();
    }
}
