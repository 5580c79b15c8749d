package dev.canopy.ui.settings;

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
    void longContextAccelerationReachesTheEngineOptions() {
        SettingsStore store = new SettingsStore(home);
        SettingsViewModel vm = new SettingsViewModel(store, t -> {});
        assertThat(vm.attention.get()).isEqualTo(dev.canopy.app.settings.AttentionMode.DENSE);
        vm.attention.set(dev.canopy.app.settings.AttentionMode.DHSA);
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
}
