package dev.canopy.app.settings;

import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.NativeRuntime;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ComputeDevicesTest {
    private static final long GIB = 1L << 30;
    private static final BackendDevice CPU = new BackendDevice(1, "CPU", "AMD EPYC", BackendDevice.Kind.CPU, 8 * GIB, 16 * GIB);
    private static final BackendDevice RTX = new BackendDevice(0, "Vulkan0", "NVIDIA GeForce RTX 4070", BackendDevice.Kind.GPU, 11 * GIB, 12 * GIB);

    @Test
    void theDefaultSettingsNameTheGpuWhereThereIsOneAndTheCpuWhereNot() {
        AppSettings d = AppSettings.defaults();
        ComputeDevices withGpu = new ComputeDevices(() -> List.of(RTX, CPU));
        assertThat(withGpu.detected()).isEqualTo("GPU NVIDIA GeForce RTX 4070 (Vulkan0), 11,264 MiB free");
        assertThat(withGpu.planned(d)).isEqualTo("GPU NVIDIA GeForce RTX 4070 (Vulkan0)");
        ComputeDevices cpuOnly = new ComputeDevices(() -> List.of(CPU));
        assertThat(cpuOnly.detected()).isEqualTo("no GPU found (ggml lists none): models run on the CPU");
        assertThat(cpuOnly.planned(d)).isEqualTo("CPU (no GPU found)");
    }

    @Test
    void choosingTheCpuOrNoGpuLayersKeepsTheModelOffTheGpu() {
        ComputeDevices withGpu = new ComputeDevices(() -> List.of(RTX, CPU));
        AppSettings d = AppSettings.defaults();
        AppSettings cpu = new AppSettings(d.theme(), ComputeDevice.CPU, -1, 0, 0, 0, d.attention(), 2048, 1, 2, 3, "",
                false, "", "", true, "");
        AppSettings none = new AppSettings(d.theme(), ComputeDevice.GPU, 0, 0, 0, 0, d.attention(), 2048, 1, 2, 3, "",
                false, "", "", true, "");
        assertThat(withGpu.planned(cpu)).isEqualTo("CPU (chosen in Settings)");
        assertThat(withGpu.planned(none)).isEqualTo("CPU (0 layers on the GPU in Settings)");
        assertThat(ComputeDevice.GPU.label()).isEqualTo("GPU when there is one");
    }

    @Test
    void thisMachineIsDescribedFromTheDevicesGgmlLists() {
        boolean gpu = NativeRuntime.get().devices().stream().anyMatch(BackendDevice::isGpu);
        String detected = ComputeDevices.ofThisMachine().detected();
        if (gpu) assertThat(detected).startsWith("GPU ");
        else assertThat(detected).startsWith("no GPU found");
    }
}
