package dev.canopy.ui.settings;

import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.app.settings.Theme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsViewModelTest {
    @TempDir Path home;

    @Test
    void savesCheckedValuesThatSurviveARestartAndAppliesTheTheme() {
        AtomicReference<Theme> applied = new AtomicReference<>();
        SettingsViewModel vm = new SettingsViewModel(new SettingsStore(home), applied::set);
        vm.theme.set(Theme.DARK);
        vm.threads.set("2");
        vm.chunkTokens.set("128");
        assertThat(vm.save()).isTrue();
        assertThat(vm.message.get()).contains("reloads");
        assertThat(applied.get()).isEqualTo(Theme.DARK);

        SettingsViewModel again = new SettingsViewModel(new SettingsStore(home), t -> {});
        assertThat(again.theme.get()).isEqualTo(Theme.DARK);
        assertThat(again.threads.get()).isEqualTo("2");
        assertThat(again.chunkTokens.get()).isEqualTo("128");
    }

    @Test
    void theDeviceChoiceDefaultsToTheGpuAndSaysWhichOneThisMachineHas() {
        var gpu = new dev.canopy.natives.BackendDevice(0, "Vulkan0", "NVIDIA GeForce RTX 4070",
                dev.canopy.natives.BackendDevice.Kind.GPU, 11L << 30, 12L << 30);
        SettingsViewModel vm = new SettingsViewModel(new SettingsStore(home), t -> {},
                new dev.canopy.app.settings.ComputeDevices(() -> java.util.List.of(gpu)));
        assertThat(vm.device.get()).isEqualTo(dev.canopy.app.settings.ComputeDevice.GPU);
        assertThat(vm.gpuLayers.get()).isEqualTo("-1");
        assertThat(vm.detectedDevice.get()).isEqualTo("This machine: GPU NVIDIA GeForce RTX 4070 (Vulkan0), 11,264 MiB free");
        SettingsViewModel none = new SettingsViewModel(new SettingsStore(home), t -> {},
                new dev.canopy.app.settings.ComputeDevices(java.util.List::of));
        assertThat(none.detectedDevice.get()).isEqualTo("This machine: no GPU found (ggml lists none): models run on the CPU");
    }

    @Test
    void aWrongFieldIsNamedAndNothingIsSaved() {
        SettingsStore store = new SettingsStore(home);
        SettingsViewModel vm = new SettingsViewModel(store, t -> {});
        vm.threads.set("two");
        assertThat(vm.save()).isFalse();
        assertThat(vm.message.get()).isEqualTo("Threads must be a whole number, not \"two\".");
        vm.threads.set("0");
        vm.chunkTokens.set("8");
        assertThat(vm.save()).isFalse();
        assertThat(vm.message.get()).contains("at least 16");
        assertThat(new SettingsStore(home).settings().chunkTokens()).isZero();
        vm.reset();
        assertThat(vm.chunkTokens.get()).isEqualTo("0");
    }

    @Test
    void kvPrecisionIsSavedAndReachesTheEngineOptions() {
        SettingsStore store = new SettingsStore(home);
        SettingsViewModel vm = new SettingsViewModel(store, t -> {});
        assertThat(vm.kvPrecision.get()).isEqualTo(dev.canopy.engine.KvPrecision.F16);
        vm.kvPrecision.set(dev.canopy.engine.KvPrecision.Q4_0);
        assertThat(vm.save()).isTrue();
        assertThat(vm.message.get()).contains("reloads");
        assertThat(store.settings().engineOptions().kvPrecision()).isEqualTo(dev.canopy.engine.KvPrecision.Q4_0);
        assertThat(new SettingsViewModel(new SettingsStore(home), t -> {}).kvPrecision.get()).isEqualTo(dev.canopy.engine.KvPrecision.Q4_0);
    }

    @Test
    void longContextAccelerationReachesTheEngineOptions() {
        SettingsStore store = new SettingsStore(home);
        SettingsViewModel vm = new SettingsViewModel(store, t -> {});
        assertThat(vm.attention.get()).isEqualTo(dev.canopy.engine.sparse.AttentionMode.DENSE);
        vm.attention.set(dev.canopy.engine.sparse.AttentionMode.DHSA);
        vm.chunkTokens.set("512");
        vm.attentionBudget.set("600");
        assertThat(vm.save()).isFalse();
        assertThat(vm.message.get()).contains("at least 769");
        vm.attentionBudget.set("1024");
        assertThat(vm.save()).isTrue();
        var attention = new SettingsStore(home).settings().engineOptions().attention();
        assertThat(attention.mode()).isEqualTo(dev.canopy.engine.sparse.AttentionMode.DHSA);
        assertThat(attention.budget()).isEqualTo(1024);
    }

    @Test
    void kvTiersAndTheirFolderAreSavedAndReloaded() {
        Path folder = home.resolve("kv-elsewhere");
        SettingsViewModel vm = new SettingsViewModel(new SettingsStore(home), t -> {});
        assertThat(vm.kvTiers.get()).isFalse();
        vm.kvTiers.set(true);
        vm.kvRamMb.set("512");
        vm.kvGpuMb.set("0");
        vm.kvDiskMb.set("2048");
        vm.kvFolder.set("  " + folder + " ");
        assertThat(vm.save()).isTrue();
        assertThat(vm.message.get()).contains("KV settings");

        SettingsStore reloaded = new SettingsStore(home);
        var s = reloaded.settings();
        assertThat(s.kvTiers()).isTrue();
        assertThat(s.kvCpuMb()).isEqualTo(512);
        assertThat(s.kvGpuMb()).isZero();
        assertThat(s.kvDiskMb()).isEqualTo(2048);
        assertThat(reloaded.paths().kvDir()).isEqualTo(folder);
        SettingsViewModel again = new SettingsViewModel(reloaded, t -> {});
        assertThat(again.kvTiers.get()).isTrue();
        assertThat(again.kvRamMb.get()).isEqualTo("512");
        assertThat(again.kvDiskMb.get()).isEqualTo("2048");
        assertThat(again.kvFolder.get()).isEqualTo(folder.toString());
    }

    @Test
    void badKvValuesAreNamedAndNotSaved() throws Exception {
        SettingsViewModel vm = new SettingsViewModel(new SettingsStore(home), t -> {});
        vm.kvTiers.set(true);
        vm.kvRamMb.set("lots");
        assertThat(vm.save()).isFalse();
        assertThat(vm.message.get()).isEqualTo("KV in RAM must be a whole number, not \"lots\".");
        vm.kvRamMb.set("8");
        assertThat(vm.save()).isFalse();
        assertThat(vm.message.get()).isEqualTo("KV in RAM must be between 64 and 1048576.");
        vm.kvRamMb.set("512");
        vm.kvDiskMb.set("-5");
        assertThat(vm.save()).isFalse();
        assertThat(vm.message.get()).startsWith("KV on disk must be between");
        vm.kvDiskMb.set("1024");
        vm.kvFolder.set("relative/kv");
        assertThat(vm.save()).isFalse();
        assertThat(vm.message.get()).startsWith("KV folder must be a full path");
        Path file = java.nio.file.Files.writeString(home.resolve("a-file"), "x");
        vm.kvFolder.set(file.toString());
        assertThat(vm.save()).isFalse();
        assertThat(vm.message.get()).contains("KV folder").contains("is a file");
        assertThat(new SettingsStore(home).settings().kvTiers()).as("nothing was saved").isFalse();

        vm.kvTiers.set(false);
        assertThat(vm.save()).as("the KV fields are not checked while KV on disk is off").isTrue();
        assertThat(new SettingsStore(home).settings().kvCpuMb()).isEqualTo(dev.canopy.app.settings.AppSettings.defaults().kvCpuMb());
    }

    @Test
    void dhsaAndKvOnDiskAreSavedTogether() {
        SettingsViewModel vm = new SettingsViewModel(new SettingsStore(home), t -> {});
        vm.attention.set(dev.canopy.engine.sparse.AttentionMode.DHSA);
        vm.kvTiers.set(true);
        assertThat(vm.save()).isTrue();
        assertThat(new SettingsStore(home).settings().attention()).isEqualTo(dev.canopy.engine.sparse.AttentionMode.DHSA);
        assertThat(new SettingsStore(home).settings().kvTiers()).isTrue();
    }
}
