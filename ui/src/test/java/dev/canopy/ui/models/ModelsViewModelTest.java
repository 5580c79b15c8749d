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

    @Test
    void scanningAFolderAddsTheModelsInItAndATypedPathWorksToo() throws Exception {
        Path folder = Files.createDirectories(home.resolve("models/nested"));
        Path found = TinyModels.write(TinyModelSpec.tiny("qwen2"), folder.resolve("tiny-qwen2.gguf"));
        Files.writeString(folder.resolve("notes.txt"), "not a model");
        ModelsViewModel vm = new ModelsViewModel(new ModelService(new SettingsStore(home)), UiThreads.of(Runnable::run));

        vm.sourceProperty().set(home.resolve("models").toString()); // a folder: scanned
        vm.addTyped();
        await(vm);
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.messageProperty().get()).startsWith("Found 1 model in ");
        assertThat(vm.scanningProperty().get()).isFalse();
        assertThat(vm.entries()).extracting(ModelEntry::file).containsExactly(found.toAbsolutePath().normalize());
        assertThat(vm.activeProperty().get()).isEqualTo(found.toAbsolutePath().normalize().toString());
        assertThat(vm.memoryNeed(vm.entries().getFirst())).startsWith("Needs about").contains("context");

        vm.scanFolder(home.resolve("models/nested/notes.txt"));
        await(vm);
        assertThat(vm.errorProperty().get()).contains("not a folder").doesNotContain("Exception");

        vm.sourceProperty().set(home.resolve("nothing-here.gguf").toString()); // a missing file: a readable error
        vm.addTyped();
        await(vm);
        assertThat(vm.errorProperty().get()).isNotBlank().doesNotContain("\tat ");
        vm.sourceProperty().set("  ");
        vm.addTyped();
        assertThat(vm.errorProperty().get()).startsWith("Type the path");
    }

    @Test
    void theMemoryNeedIsComparedWithThisMachine() {
        var machine = new dev.canopy.app.models.SystemResources(8, 16L << 30, 6L << 30, java.util.List.of());
        assertThat(ModelsViewModel.needText(900L << 20, 4096, dev.canopy.app.models.MemoryFit.FITS, machine))
                .isEqualTo("Needs about 900 MB at 4,096 tokens of context · fits this computer (16.0 GB)");
        assertThat(ModelsViewModel.needText(5L << 30, 8192, dev.canopy.app.models.MemoryFit.TIGHT, machine))
                .endsWith("tight: uses most of the free memory (6.0 GB free)");
        assertThat(ModelsViewModel.needText(40L << 30, 8192, dev.canopy.app.models.MemoryFit.TOO_BIG, machine))
                .startsWith("Needs about 40.0 GB").endsWith("too big for this computer (16.0 GB)");
    }
}
