package dev.canopy.natives;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

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

    /**
     * The extracted copy's folder follows the libraries' content, not only their names: a rebuilt
     * libggml-rpc.so (a changed patch, same file name and SOURCE.txt) once loaded the stale copy
     * extracted before, which crashed the worker-loss tests in ggml-alloc.
     */
    @Test
    void aRebuiltLibraryUnderTheSameNameIsExtractedAfresh(@TempDir Path dir) throws Exception {
        byte[] list = "libggml-rpc.so\n".getBytes(StandardCharsets.UTF_8);
        byte[] source = "RPC backend compiled with ggml-rpc-worker-loss.patch\n".getBytes(StandardCharsets.UTF_8);
        Path before = jar(dir.resolve("before.jar"), list, source, "old code");
        Path after = jar(dir.resolve("after.jar"), list, source, "new code");
        Path again = jar(dir.resolve("again.jar"), list, source, "new code");

        String keyBefore = key(before, list, source);
        String keyAfter = key(after, list, source);

        assertThat(keyAfter).as("same names, other bytes").isNotEqualTo(keyBefore);
        assertThat(key(again, list, source)).as("same bytes").isEqualTo(keyAfter);
        Path folder = Files.createDirectories(dir.resolve("classes/natives/x"));
        Files.write(folder.resolve("libggml-rpc.so"), "old code".getBytes(StandardCharsets.UTF_8));
        String fromFolder = key(dir.resolve("classes"), list, source);
        Files.write(folder.resolve("libggml-rpc.so"), "new code".getBytes(StandardCharsets.UTF_8));
        assertThat(key(dir.resolve("classes"), list, source)).as("a folder on the class path: by its bytes").isNotEqualTo(fromFolder);
    }

    private static String key(Path classPath, byte[] list, byte[] source) throws Exception {
        try (URLClassLoader cl = new URLClassLoader(new URL[] {classPath.toUri().toURL()}, null)) {
            return NativeLibraryLoader.contentKey(cl, "natives/x/", list, source);
        }
    }

    private static Path jar(Path file, byte[] list, byte[] source, String library) throws Exception {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            for (var e : Map.of("natives/x/files.txt", list, "natives/x/SOURCE.txt", source,
                    "natives/x/libggml-rpc.so", library.getBytes(StandardCharsets.UTF_8)).entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return file;
    }
}
