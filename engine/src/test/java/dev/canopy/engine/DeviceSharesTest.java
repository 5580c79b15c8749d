package dev.canopy.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceSharesTest {
    private static final List<String> TWO = List.of("RPC0 on worker 10.0.0.2:50052", "RPC0 on worker 10.0.0.3:50052");

    @Test
    void givenSharesReplaceFreeMemoryOnePerDevice() {
        DeviceShares shares = DeviceShares.parse(" 3, 1");

        assertThat(shares.over(TWO, List.of(100.0, 900.0))).containsExactly(3.0, 1.0);
        assertThat(shares.describe()).isEqualTo("by shares 3:1");
        assertThat(DeviceShares.parse("0.5,0").weights()).containsExactly(0.5, 0.0);
    }

    @Test
    void byDefaultEachDeviceSharesByItsFreeMemory() {
        assertThat(DeviceShares.BY_FREE_MEMORY.over(TWO, List.of(100.0, 900.0))).containsExactly(100.0, 900.0);
        assertThat(DeviceShares.BY_FREE_MEMORY.describe()).isEqualTo("by free memory");
    }

    @Test
    void aCountThatDoesNotMatchTheDevicesNamesThemInOrder() {
        assertThatThrownBy(() -> DeviceShares.parse("1,1,1").over(TWO, List.of(1.0, 1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--tensor-split gives 3 shares for 2 devices (RPC0 on worker 10.0.0.2:50052, RPC0 on worker 10.0.0.3:50052): give one per device, in that order");
    }

    @Test
    void sharesAreNumbersOfZeroOrMoreNotAllZero() {
        assertThatThrownBy(() -> DeviceShares.parse("3,x")).hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> DeviceShares.parse("3,")).hasMessageContaining("'' is not a number");
        assertThatThrownBy(() -> DeviceShares.parse("-1,2")).hasMessageContaining("0 or more, not -1.0");
        assertThatThrownBy(() -> DeviceShares.parse("0,0")).hasMessageContaining("at least one device needs a share above 0: 0,0");
        assertThatThrownBy(() -> DeviceShares.parse("NaN,1")).hasMessageContaining("0 or more");
    }
}
