package dev.canopy.ui;

import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import javafx.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Screenshots of every view in light and dark mode from the real window, headless on Monocle (no
 * display, no Xvfb). Runs only when asked: {@code -Dscreenshots.dir=DIR [-Dscreenshots.model=FILE]}
 * (scripts/screenshots.sh does this when xvfb-run is missing).
 */
@EnabledIfSystemProperty(named = "screenshots.dir", matches = ".+")
class ScreenshotsTest {
    static final List<String> SECTIONS = List.of("CHAT", "DOCUMENTS", "MODELS", "MEMORY", "SETTINGS");
    @TempDir Path home;
    @TempDir Path models;

    @Test
    void savesEveryViewInBothThemes() throws Exception {
        Path dir = Path.of(System.getProperty("screenshots.dir")).toAbsolutePath();
        String m = System.getProperty("screenshots.model", "");
        Path model = !m.isBlank() && Files.isRegularFile(Path.of(m)) ? Path.of(m)
                : TinyModels.write(TinyModelSpec.tiny("llama"), models.resolve("tiny-demo.gguf"));
        DemoData.fill(home, model);
        DesktopDriver ui = new DesktopDriver();
        ui.launch(home);
        CountDownLatch done = new CountDownLatch(1);
        WaitForAsyncUtils.asyncFx(() -> {
            Scene scene = FxToolkit.toolkitContext().getRegisteredStage().getScene();
            ScreenshotTour.run(scene, dir, SECTIONS, done::countDown);
        });
        assertThat(done.await(3, TimeUnit.MINUTES)).isTrue();
        ui.close();
        for (String s : SECTIONS) {
            for (String theme : List.of("light", "dark")) {
                assertThat(dir.resolve(s.toLowerCase(java.util.Locale.ROOT) + "-" + theme + ".png")).isNotEmptyFile();
            }
        }
    }
}
