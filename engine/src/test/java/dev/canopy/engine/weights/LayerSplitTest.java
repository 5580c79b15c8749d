package dev.canopy.engine.weights;

import dev.canopy.natives.rpc.RpcEndpoint;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Layers in runs over devices (decision 0200): built from llama.cpp's assignment or from the GPU layers. */
class LayerSplitTest {
    private static final RpcEndpoint A = new RpcEndpoint("10.0.0.2", 50052);
    private static final RpcEndpoint B = new RpcEndpoint("10.0.0.3", 50052);
    private static final LayerDevice RPC0 = LayerDevice.remote(MemorySegment.ofAddress(0x1000), "RPC0 on worker " + A, A);
    private static final LayerDevice RPC1 = LayerDevice.remote(MemorySegment.ofAddress(0x2000), "RPC1 on worker " + B, B);
    private static final LayerDevice GPU = LayerDevice.local(MemorySegment.ofAddress(0x3000), "GPU here");

    @Test
    void anAssignmentBecomesRunsOfLayersWithTheOutputOnTheLastDevice() {
        // 6 layers, --gpu-layers 5 over two workers: 0-1 here, 2-4 on the first, 5 and the output on the second
        LayerSplit split = LayerSplit.ofAssignment(new int[] {-1, -1, 0, 0, 0, 1, 1}, List.of(RPC0, RPC1));
        assertThat(split.spans()).containsExactly(new DeviceSpan(RPC0, 2, 5), new DeviceSpan(RPC1, 5, 6));
        assertThat(split.output()).contains(RPC1);
        assertThat(split.deviceOf(1)).isEmpty();
        assertThat(split.deviceOf(4)).contains(RPC0);
        assertThat(split.deviceOf("blk.5.attn_q.weight")).contains(RPC1);
        assertThat(split.deviceOf("output.weight")).contains(RPC1);
        assertThat(split.deviceOf("token_embd.weight")).as("read by row, in host memory").isEmpty();
        assertThat(split.devices()).containsExactly(RPC0, RPC1);
        assertThat(split.workers()).containsExactly(A, B);
        assertThat(split.layersOn(RPC0)).isEqualTo(3);
        assertThat(split.describe()).isEqualTo("layers 0-1 on the CPU here; layers 2-4 on RPC0 on worker " + A
                + "; layer 5 and the output on RPC1 on worker " + B);
    }

    @Test
    void theOutputOnTheCpuIsNamedWhenTheLastLayerIsNotThere() {
        LayerSplit split = LayerSplit.ofAssignment(new int[] {-1, 0, 0, -1}, List.of(GPU));
        assertThat(split.output()).isEmpty();
        assertThat(split.workers()).as("a device of this computer").isEmpty();
        assertThat(split.describe()).isEqualTo("layer 0 on the CPU here; layers 1-2 on GPU here; the output on the CPU here");
    }

    @Test
    void theGpuLayersAreOneSpanOfTheLastLayers() {
        LayerSplit some = LayerSplit.of(new LayerPlacement(12, 3, false, 0), GPU);
        assertThat(some.spans()).containsExactly(new DeviceSpan(GPU, 9, 12));
        assertThat(some.output()).isEmpty();
        LayerSplit all = LayerSplit.of(new LayerPlacement(12, 12, true, 0), GPU);
        assertThat(all.output()).contains(GPU);
        assertThat(all.describe()).isEqualTo("layers 0-11 and the output on GPU here");
        assertThat(LayerSplit.of(LayerPlacement.cpuOnly(12), GPU)).isEqualTo(LayerSplit.cpuOnly(12));
        assertThat(LayerSplit.cpuOnly(12).anyOffloaded()).isFalse();
        assertThat(LayerSplit.cpuOnly(12).describe()).isEqualTo("layers 0-11 and the output on the CPU here");
    }

    @Test
    void spansOutOfOrderOrPastTheLastLayerAreRefused() {
        assertThatThrownBy(() -> new LayerSplit(6, List.of(new DeviceSpan(RPC0, 3, 5), new DeviceSpan(RPC1, 2, 3)), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LayerSplit(6, List.of(new DeviceSpan(RPC0, 3, 7)), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceSpan(RPC0, 3, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
