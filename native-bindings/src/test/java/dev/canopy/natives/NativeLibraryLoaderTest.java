package dev.canopy.natives;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NativeLibraryLoaderTest {

    @Test
    void mapsJavaPropertiesToFolderNames() {
        assertThat(Platform.of("Linux", "amd64").id()).isEqualTo("linux-x64");
        assertThat(Platform.of("Mac OS X", "aarch64").id()).isEqualTo("mac-arm64");
        assertThat(Platform.of("Windows 11", "amd64").id()).isEqualTo("win-x64");
        assertThat(Platform.of("Linux", "aarch64").sharedLibraryFileName("llama")).isEqualTo("libllama.so");
        assertThat(Platform.of("Windows 11", "amd64").sharedLibraryFileName("llama")).isEqualTo("llama.dll");
    }

    @Test
    void matchesVersionedAndPlainLibraryNamesButNotPrefixes() {
        assertThat(NativeLibraryLoader.matches("ggml", "libggml.v0.5.0.so")).isTrue();
        assertThat(NativeLibraryLoader.matches("ggml", "libggml.so")).isTrue();
        assertThat(NativeLibraryLoader.matches("ggml", "ggml.dll")).isTrue();
        assertThat(NativeLibraryLoader.matches("ggml", "libggml.dylib")).isTrue();
        assertThat(NativeLibraryLoader.matches("ggml", "libggml-base.so")).isFalse();
        assertThat(NativeLibraryLoader.matches("ggml", "libggml.vulkan.v0.5.0.so")).as("npm's Vulkan package").isTrue();
        assertThat(NativeLibraryLoader.matches("llama", "libllama.cuda.v0.5.0.so")).as("npm's CUDA package").isTrue();
        assertThat(NativeLibraryLoader.matches("ggml", "libggml-vulkan.so")).as("a backend, loaded by ggml itself").isFalse();
        assertThat(NativeLibraryLoader.matches("ggml", "libggml-cpu-haswell.so")).isFalse();
        assertThat(NativeLibraryLoader.matches("llama", "libllama-common.so")).isFalse();
    }

    @Test
    void loadsTheRealLibrariesForThisPlatform() {
        NativeLibraryLoader.Loaded loaded = NativeLibraryLoader.forCurrentProcess().load();
        assertThat(loaded.libraries()).hasSize(3);
        assertThat(loaded.libraries().getLast().getFileName().toString()).contains("llama");
        assertThat(loaded.directory().resolve("files.txt")).isRegularFile();
    }

    @Test
    void aCorruptLibraryNamesItsPathPlatformAndReason(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("files.txt"), "libggml-base.so\nlibggml.so\nlibllama.so\n");
        Files.write(dir.resolve("libggml-base.so"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        var loader = new NativeLibraryLoader(Platform.of("Linux", "amd64"), Optional.of(dir), dir.resolve("cache"));

        assertThatThrownBy(loader::load)
                .isInstanceOf(NativeLibraryException.class)
                .hasMessageContaining("linux-x64")
                .hasMessageContaining("os.arch=")
                .hasMessageContaining(dir.resolve("libggml-base.so").toString())
                .hasMessageContaining("cannot be loaded");
    }

    @Test
    void aMissingLibraryNamesEveryPathTried(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("files.txt"), "libggml-base.so\n");
        var loader = new NativeLibraryLoader(Platform.of("Linux", "amd64"), Optional.of(dir), dir.resolve("cache"));

        assertThatThrownBy(loader::load)
                .isInstanceOf(NativeLibraryException.class)
                .hasMessageContaining(dir.resolve("libggml-base.so").toString())
                .hasMessageContaining("missing");
    }

    @Test
    void aFolderWithoutFileListIsReported(@TempDir Path dir) {
        var loader = new NativeLibraryLoader(Platform.of("Linux", "amd64"), Optional.of(dir.resolve("nowhere")), dir);

        assertThatThrownBy(loader::load)
                .isInstanceOf(NativeLibraryException.class)
                .hasMessageContaining(dir.resolve("nowhere").toString())
                .hasMessageContaining("no readable files.txt");
    }

    @Test
    void anUnsupportedPlatformSaysSoAndHowToFixIt(@TempDir Path dir) {
        var loader = new NativeLibraryLoader(new Platform("plan9", "mips"), Optional.empty(), dir);

        assertThatThrownBy(loader::load)
                .isInstanceOf(NativeLibraryException.class)
                .hasMessageContaining("plan9-mips")
                .hasMessageContaining("natives/plan9-mips/files.txt")
                .hasMessageContaining("-Pnatives-source");
    }
}
