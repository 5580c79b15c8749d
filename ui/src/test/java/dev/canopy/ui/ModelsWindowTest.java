package dev.canopy.ui;

import dev.canopy.app.settings.SettingsStore;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.app.download.LoopbackFileServer;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The Models view in the real window: a model downloaded from a link (a server on 127.0.0.1 only). */
class ModelsWindowTest {
    @TempDir Path home;
    @TempDir Path source;
    final DesktopDriver ui = new DesktopDriver();

    @AfterEach
    void close() throws Exception {
        ui.close();
    }

    @Test
    void aPastedLinkIsDownloadedCheckedAndListed() throws Exception {
        byte[] bytes = Files.readAllBytes(TinyModels.write(TinyModelSpec.tiny("llama"), source.resolve("m.gguf")));
        try (LoopbackFileServer server = new LoopbackFileServer(bytes)) {
            server.etag = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            ui.launch(home);
            ui.robot.clickOn("#nav-models");
            ui.robot.clickOn("#model-source").write(server.url("tiny-llama.gguf"));
            ui.robot.clickOn("#add-model");

            ui.waitUntil("the downloaded model is listed", () -> !ui.all("#models .model-meta", Label.class).isEmpty());
            assertThat(ui.text("#download-status")).startsWith("Downloaded tiny-llama.gguf").endsWith("sha256 checked.");
            assertThat(ui.text("#models .model-meta")).startsWith("llama · ");
            assertThat(DesktopDriver.fx(() -> ui.lookup("#cancel-download", Button.class).isDisabled())).isTrue();
            Path file = new SettingsStore(home).paths().modelsDir().resolve("tiny-llama.gguf");
            assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
            assertThat(new SettingsStore(home).settings().activeModel()).isEqualTo(file.toAbsolutePath().normalize().toString());
        }
    }
}
