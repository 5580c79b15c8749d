package dev.canopy.natives.llama;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceSplitTest {
    private static final MemorySegment A = MemorySegment.ofAddress(16), B = MemorySegment.ofAddress(32);

    @Test
    void layersAreDividedInRunsByWeightAsLlamaCppDoes() {
        DeviceSplit even = new DeviceSplit(List.of(A, B), List.of(1.0, 1.0));
        // 4 layers + output, everything offloaded: 5 slots, the first device takes 0..2 (x < 0.5 -> 0, 0.2, 0.4)
        assertThat(even.assign(4, -1)).containsExactly(0, 0, 0, 1, 1);
        // 3 offloaded: layers 2, 3 and the output; layers 0 and 1 on the CPU
        assertThat(even.assign(4, 3)).containsExactly(-1, -1, 0, 0, 1);
        // weights by free memory: 3 to 1
        assertThat(new DeviceSplit(List.of(A, B), List.of(3.0, 1.0)).assign(7, -1)).containsExactly(0, 0, 0, 0, 0, 0, 1, 1);
        assertThat(even.assign(4, 0)).containsOnly(-1);
    }

    @Test
    void badSplitsAreRefused() {
        assertThatThrownBy(() -> new DeviceSplit(List.of(A), List.of(0.0))).hasMessageContaining("not all zero");
        assertThatThrownBy(() -> new DeviceSplit(List.of(A, B), List.of(1.0))).hasMessageContaining("2 devices but 1 weights");
    }
}
