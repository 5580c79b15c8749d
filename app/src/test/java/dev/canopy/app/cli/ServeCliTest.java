package dev.canopy.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code canopy serve} refuses what would be unsafe or cannot work, in one line and before loading anything. */
class ServeCliTest {
    @TempDir Path dir;

    static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = CanopyCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void aNonLoopbackHostWithoutAKeyRefusesToStart() throws Exception {
        Path model = Files.writeString(dir.resolve("m.gguf"), "not loaded");
        String[] r = run("serve", "--model", model.toString(), "--host", "0.0.0.0");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].strip()).startsWith("canopy: refusing to listen on 0.0.0.0 without an API key").doesNotContain("\n");
    }

    @Test
    void badNumbersAndAMissingModelAreOneLine() {
        assertThat(run("serve", "--model", "x.gguf", "--parallel", "0")[2]).contains("--parallel must be at least 1");
        String[] missing = run("serve", "--model", dir.resolve("none.gguf").toString());
        assertThat(missing[0]).isEqualTo("2");
        assertThat(missing[2]).contains("File not found").doesNotContain("\tat ");
    }
}
