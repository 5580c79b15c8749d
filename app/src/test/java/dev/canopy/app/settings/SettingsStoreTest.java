package dev.canopy.app.settings;

import dev.canopy.engine.KvPrecision;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.memory.conversation.ConversationId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsStoreTest {
    @TempDir Path home;

    @Test
    void startsWithDefaultsWhenNothingIsStored() {
        SettingsStore s = new SettingsStore(home);
        assertThat(s.settings()).isEqualTo(AppSettings.defaults());
        assertThat(s.uiState()).isEqualTo(UiState.defaults());
        assertThat(s.paths().modelsDir()).isEqualTo(home.resolve("models"));
    }

    @Test
    void settingsAndWindowStateSurviveARestart() {
        SettingsStore s = new SettingsStore(home);
        AtomicReference<AppSettings> seen = new AtomicReference<>();
        s.onChange(seen::set);
        AppSettings changed = s.settings().withTheme(Theme.DARK).withActiveModel("/m/a.gguf").withMemoryEnabled(false);
        s.save(changed);
        s.saveUiState(UiState.defaults().withBounds(10, 20, 900, 700, true).withLastConversation(new ConversationId(12)).withSection("MODELS"));
        assertThat(seen.get()).isEqualTo(changed);

        SettingsStore again = new SettingsStore(home);
        assertThat(again.settings()).isEqualTo(changed);
        assertThat(again.uiState().lastConversation()).contains(new ConversationId(12));
        assertThat(again.uiState().width()).isEqualTo(900);
        assertThat(again.uiState().maximized()).isTrue();
        assertThat(again.uiState().section()).isEqualTo("MODELS");
    }

    @Test
    void theLastConversationIsKeptAsItsTextFormAndAnythingElseReadsAsNone() throws Exception {
        SettingsStore s = new SettingsStore(home);
        s.saveUiState(UiState.defaults().withLastConversation(new ConversationId(12)));
        assertThat(Files.readString(home.resolve("ui-state.json"))).contains("\"lastConversationId\" : \"12\"");

        Files.writeString(home.resolve("ui-state.json"), "{\"section\":\"MODELS\",\"lastConversationId\":\"\"}");
        assertThat(new SettingsStore(home).uiState().lastConversation()).as("an older file's empty id").isEmpty();
        Files.writeString(home.resolve("ui-state.json"), "{\"lastConversationId\":\"7f3c-uuid\"}");
        assertThat(new SettingsStore(home).uiState().lastConversation()).as("an id from before ids were typed").isEmpty();
        Files.writeString(home.resolve("ui-state.json"), "{\"lastConversationId\":\"7\"}");
        assertThat(new SettingsStore(home).uiState().lastConversation()).contains(new ConversationId(7));
    }

    @Test
    void aDamagedFileFallsBackToDefaultsAndMissingFieldsKeepTheirDefault() throws Exception {
        Files.writeString(home.resolve("settings.json"), "{ this is not json");
        assertThat(new SettingsStore(home).settings()).isEqualTo(AppSettings.defaults());

        Files.writeString(home.resolve("settings.json"), "{\"theme\":\"DARK\",\"threads\":3,\"unknown\":1}");
        AppSettings s = new SettingsStore(home).settings();
        assertThat(s.theme()).isEqualTo(Theme.DARK);
        assertThat(s.threads()).isEqualTo(3);
        assertThat(s.kvCpuMb()).isEqualTo(AppSettings.defaults().kvCpuMb());
        assertThat(s.memoryEnabled()).isTrue();
    }

    @Test
    void engineOptionsFollowTheDevice() {
        AppSettings d = AppSettings.defaults();
        assertThat(d.device()).as("the GPU when there is one, by default").isEqualTo(ComputeDevice.GPU);
        assertThat(d.engineOptions().gpuLayers()).as("as many layers as fit").isEqualTo(-1);
        AppSettings cpu = new AppSettings(Theme.LIGHT, ComputeDevice.CPU, -1, 0, 0, 0, AttentionMode.DENSE, 2048,
                1024, 4096, 16384, "", false, "", "", true, "");
        assertThat(cpu.engineOptions().gpuLayers()).isZero();
        AppSettings gpu = new AppSettings(Theme.LIGHT, ComputeDevice.GPU, 20, 4, 512, 4096, AttentionMode.DHSA, 1024,
                1, 2, 3, "", false, "", "", true, "");
        assertThat(gpu.engineOptions().gpuLayers()).isEqualTo(20);
        assertThat(gpu.engineOptions().threads()).isEqualTo(4);
        assertThat(gpu.needsReloadComparedTo(cpu)).isTrue();
        assertThat(cpu.withTheme(Theme.DARK).needsReloadComparedTo(cpu)).isFalse();
    }

    @Test
    void kvPrecisionSurvivesARestartReachesTheEngineAndReloadsTheModel() throws Exception {
        SettingsStore s = new SettingsStore(home);
        AppSettings d = AppSettings.defaults();
        assertThat(d.kvPrecision()).isEqualTo(KvPrecision.F16);
        AppSettings q8 = new AppSettings(d.theme(), d.device(), d.gpuLayers(), d.threads(), d.chunkTokens(), d.contextTokens(),
                d.attention(), d.attentionBudgetTokens(), d.kvGpuMb(), d.kvCpuMb(), d.kvDiskMb(), "", true, "", "", true, "",
                KvPrecision.Q8_0);
        s.save(q8);
        assertThat(new SettingsStore(home).settings().kvPrecision()).isEqualTo(KvPrecision.Q8_0);
        assertThat(q8.engineOptions().kvPrecision()).isEqualTo(KvPrecision.Q8_0);
        assertThat(q8.needsReloadComparedTo(d)).isTrue();

        Files.writeString(home.resolve("settings.json"), "{\"theme\":\"DARK\"}");   // a file from before the setting
        assertThat(new SettingsStore(home).settings().kvPrecision()).isEqualTo(KvPrecision.F16);
    }

    @Test
    void aMovedDataFolderHoldsTheModelsButNotTheSettings() {
        SettingsStore s = new SettingsStore(home);
        Path elsewhere = home.resolve("elsewhere");
        AppSettings d = AppSettings.defaults();
        s.save(new AppSettings(d.theme(), d.device(), d.gpuLayers(), d.threads(), d.chunkTokens(), d.contextTokens(),
                d.attention(), d.attentionBudgetTokens(), d.kvGpuMb(), d.kvCpuMb(), d.kvDiskMb(), "", false, elsewhere.toString(),
                "", true, ""));
        assertThat(s.paths().modelsDir()).isEqualTo(elsewhere.resolve("models"));
        assertThat(s.paths().settingsFile()).isEqualTo(home.resolve("settings.json"));
        assertThat(new SettingsStore(home).paths().dataRoot()).isEqualTo(elsewhere);
    }
}
