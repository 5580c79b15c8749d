package dev.canopy.ui.models;

import dev.canopy.app.models.ModelEntry;
import dev.canopy.app.models.ModelService;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.ui.common.UiThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Importing real GGUF files (and a broken one) through the models view-model; no FX thread. */
class ModelsViewModelTest {
    @TempDir Path home;

    static void await(ModelsViewModel vm) throws InterruptedException {
        for (int i = 0; i < 3000 && vm.busyProperty().get(); i++) Thread.sleep(10);
        assertThat(vm.busyProperty().get()).isFalse();
    }

    @Test
    void importingAModelShowsItsMetadataAndMakesItTheChatModel() throws Exception {
        Path file = TinyModels.write(TinyModelSpec.tiny("llama"), home.resolve("tiny-llama.gguf"));
        ModelsViewModel vm = new ModelsViewModel(new ModelService(new SettingsStore(home)), UiThreads.of(Runnable::run));
        assertThat(vm.entries()).isEmpty();
        vm.importFile(file);
        await(vm);
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.entries()).extracting(ModelEntry::file).containsExactly(file.toAbsolutePath().normalize());
        assertThat(vm.activeProperty().get()).isEqualTo(file.toAbsolutePath().normalize().toString());
        assertThat(ModelsViewModel.describe(vm.entries().getFirst())).contains("llama").contains("F32").contains("context");

        vm.remove(vm.entries().getFirst());
        assertThat(vm.entries()).isEmpty();
    }

    @Test
    void aBrokenFileGivesAReadableReasonAndDoesNotBecomeTheChatModel() throws Exception {
        Path broken = Files.writeString(home.resolve("broken.gguf"), "GGUF but not really a model");
        ModelsViewModel vm = new ModelsViewModel(new ModelService(new SettingsStore(home)), UiThreads.of(Runnable::run));
        vm.importFile(broken);
        await(vm);
        assertThat(vm.errorProperty().get()).isNotBlank().doesNotContain("\tat ");
        assertThat(vm.activeProperty().get()).isEmpty();
    }
}
