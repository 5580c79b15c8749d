package dev.canopy.kv;

import dev.canopy.kv.tier.TensorCopy;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.BackendBuffer;
import dev.canopy.natives.ggml.GgmlContext;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

class TierDevicesTest {

    @Test
    void theDeviceTierExistsExactlyWhenGgmlListsAGpu() {
        boolean gpu = NativeRuntime.get().devices().stream().anyMatch(d -> d.isGpu());
        TierDevices d = TierDevices.detect();
        assertThat(d.hasDevice()).isEqualTo(gpu);
        assertThat(d.hostBufferType()).isNotNull();
        if (!gpu) assertThat(d.description()).contains("device tier is absent");
    }

    @Test
    void deviceCopiesThroughViewsMoveTheRightBytes() {
        NativeRuntime.get();
        MemorySegment cpu = TierDevices.cpuOnly().hostBufferType();
        try (GgmlContext ctx = GgmlContext.metadata(2, 0)) {
            MemorySegment a = llama_h.ggml_new_tensor_1d(ctx.handle(), llama_h.GGML_TYPE_F16(), 64);
            MemorySegment b = llama_h.ggml_new_tensor_1d(ctx.handle(), llama_h.GGML_TYPE_F16(), 64);
            try (BackendBuffer buf = BackendBuffer.allocate(ctx, cpu)) {
                MemorySegment ha = TensorCopy.hostData(a);
                for (int i = 0; i < 64; i++) ha.setAtIndex(ValueLayout.JAVA_SHORT, i, (short) i);
                TensorCopy.hostData(b).fill((byte) 0);
                TensorCopy.copyViaViews(a, 20, b, 100, 16); // elements 10..17 -> 50..57
                MemorySegment hb = TensorCopy.hostData(b);
                for (int i = 0; i < 8; i++) assertThat(hb.getAtIndex(ValueLayout.JAVA_SHORT, 50 + i)).isEqualTo((short) (10 + i));
                assertThat(hb.getAtIndex(ValueLayout.JAVA_SHORT, 49)).isZero();
                assertThat(hb.getAtIndex(ValueLayout.JAVA_SHORT, 58)).isZero();
                assertThat(buf.size()).isGreaterThanOrEqualTo(256);
            }
        }
    }
}
