package dev.canopy.app.models;

import dev.canopy.app.errors.UserFacingException;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.engine.EngineKind;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.natives.llama.ModelLoadException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelServiceTest {
    @TempDir static Path models;
    static Path qwen, llama;
    @TempDir Path home;

    @BeforeAll
    static void writeModels() throws Exception {
        qwen = TinyModels.write(TinyModelSpec.tiny("qwen2"), models.resolve("tiny-qwen2.gguf"));
        Files.createDirectories(models.resolve("nested/deeper"));
        llama = TinyModels.write(TinyModelSpec.tiny("llama"), models.resolve("nested/deeper/tiny-llama.gguf"));
        Files.writeString(models.resolve("notes.txt"), "not a model");
        Files.writeString(models.resolve("broken.gguf"), "GGUF but not really a model file at all");
    }

    @Test
    void importReadsTheMetadataAndRemembersTheFileAcrossRestarts() {
        ModelService s = new ModelService(new SettingsStore(home));
        ModelEntry e = s.importFile(qwen);
        assertThat(e.usable()).isTrue();
        var info = e.info().orElseThrow();
        assertThat(info.architecture()).isEqualTo("qwen2");
        assertThat(info.layers()).isEqualTo(2);
        assertThat(info.contextLength()).isEqualTo(4096);
        assertThat(info.quantization()).isEqualTo("F32");
        assertThat(e.engine()).isEqualTo(EngineKind.CANOPY); // qwen2 is built by Canopy's own graph
        assertThat(e.memory().orElseThrow().totalBytes()).isGreaterThan(info.fileBytes());
        assertThat(e.memory().orElseThrow().fitOn(s.resources())).isEqualTo(MemoryFit.FITS);

        ModelService again = new ModelService(new SettingsStore(home));
        assertThat(again.list()).extracting(ModelEntry::file).containsExactly(qwen.toAbsolutePath().normalize());
    }

    @Test
    void scanningAFolderFindsNestedModelsAndSkipsUnreadableFiles() {
        ModelService s = new ModelService(new SettingsStore(home));
        List<ModelEntry> found = s.scanFolder(models, () -> false);
        assertThat(found).extracting(e -> e.file().getFileName().toString())
                .containsExactlyInAnyOrder("tiny-qwen2.gguf", "tiny-llama.gguf");
        assertThat(s.list()).hasSize(2);
    }

    @Test
    void importRefusesOtherFilesWithAReadableMessage() {
        ModelService s = new ModelService(new SettingsStore(home));
        assertThatThrownBy(() -> s.importFile(models.resolve("notes.txt")))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("not a .gguf file");
        assertThatThrownBy(() -> s.importFile(models.resolve("missing.gguf")))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("not found");
        assertThatThrownBy(() -> s.importFile(models.resolve("broken.gguf")))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("cannot read");
        assertThat(s.list()).isEmpty();
    }

    @Test
    void aModelWhoseFileDisappearedIsShownWithAProblem() throws Exception {
        Path copy = Files.copy(qwen, home.resolve("copy.gguf"));
        ModelService s = new ModelService(new SettingsStore(home));
        s.importFile(copy);
        s.setActive(copy);
        Files.delete(copy);
        ModelEntry e = s.list().getFirst();
        assertThat(e.usable()).isFalse();
        assertThat(e.problem()).get().asString().contains("missing");
        assertThat(s.active()).isPresent();
        s.remove(copy);
        assertThat(s.list()).isEmpty();
    }

    @Test
    void splitAndProjectorFilesAreNotListedAsModels() {
        assertThat(ModelService.isModelFileName(Path.of("a-00001-of-00003.gguf"))).isTrue();
        assertThat(ModelService.isModelFileName(Path.of("a-00002-of-00003.gguf"))).isFalse();
        assertThat(ModelService.isModelFileName(Path.of("mmproj-model-f16.gguf"))).isFalse();
        assertThat(CuratedModels.list()).hasSizeGreaterThanOrEqualTo(6)
                .allSatisfy(c -> assertThat(c.url()).startsWith("https://huggingface.co/").endsWith(".gguf"));
        assertThat(CuratedModels.list()).extracting(CuratedModel::family).contains("Qwen", "Llama", "SmolLM", "Gemma");
    }
}
