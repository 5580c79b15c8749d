package dev.canopy.natives;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NativeRuntimeTest {

    @Test
    void listsTheCpuBackendDevice() {
        var devices = NativeRuntime.get().devices();
        assertThat(devices).isNotEmpty();
        assertThat(devices).anyMatch(d -> d.kind() == BackendDevice.Kind.CPU && d.memoryTotal() > 0);
    }

    @Test
    void systemInfoNamesTheCpuFeatures() {
        assertThat(NativeRuntime.get().systemInfo()).contains("CPU");
    }
}
