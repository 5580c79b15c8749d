package dev.canopy.ui;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CanopyLauncherTest {
    /** Opening the app over SSH (no display) is one line and exit code 2, not JavaFX's stack trace. */
    @Test
    void withoutADisplayTheAppSaysSoInOneLine() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "DISPLAY is a Linux notion here");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), CanopyLauncher.class.getName()));
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.exitValue()).isEqualTo(CanopyLauncher.NO_DISPLAY);
        assertThat(out).isEqualTo("canopy: no display to open the desktop app on (DISPLAY and WAYLAND_DISPLAY are not set)."
                + " Start it from a desktop session, or use the command line: canopy --help");
    }
}
