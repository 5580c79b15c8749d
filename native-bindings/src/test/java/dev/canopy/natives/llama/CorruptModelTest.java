package dev.canopy.natives.llama;

import dev.canopy.natives.gguf.GgufFile;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Damaged model files give a clear {@link ModelLoadException}, never a JVM crash. */
class CorruptModelTest {
    @TempDir
    static Path dir;
    static byte[] good;

    @BeforeAll
    static void writeModel() throws Exception {
        good = Files.readAllBytes(TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("good.gguf")));
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> LlamaModel.load(dir.resolve("nope.gguf"), ModelParams.cpu()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("not found");
    }

    @Test
    void badMagic() throws Exception {
        byte[] b = good.clone();
        b[0] = 'X';
        Path f = Files.write(dir.resolve("magic.gguf"), b);
        assertThatThrownBy(() -> LlamaModel.load(f, ModelParams.cpu()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("bad magic");
    }

    @Test
    void truncatedDownload() throws Exception {
        Path f = Files.write(dir.resolve("truncated.gguf"), Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> LlamaModel.load(f, ModelParams.cpu()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("truncated.gguf");
        assertThatThrownBy(() -> GgufFile.open(f))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("truncated");
    }

    @Test
    void truncatedInsideTheHeader() throws Exception {
        Path f = Files.write(dir.resolve("header.gguf"), Arrays.copyOf(good, 100));
        assertThatThrownBy(() -> LlamaModel.load(f, ModelParams.cpu()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("header.gguf");
    }

    @Test
    void tensorOffsetOutOfBounds() throws Exception {
        byte[] b = good.clone();
        int at = tensorInfoOffsetField(b, "output.weight");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, 1L << 40);
        Path f = Files.write(dir.resolve("bounds.gguf"), b);
        assertThatThrownBy(() -> LlamaModel.load(f, ModelParams.cpu()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("bounds.gguf");
        assertThatThrownBy(() -> GgufFile.open(f)).isInstanceOf(ModelLoadException.class);
    }

    @Test
    void notAModelAtAll() throws Exception {
        Path f = Files.writeString(dir.resolve("notes.gguf"), "just some text, not a model");
        assertThatThrownBy(() -> LlamaModel.load(f, ModelParams.cpu()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("Not a GGUF");
    }

    /** Finds a tensor info record (u64 name length, name, u32 n_dims, u64 ne[n], u32 type, u64 offset). */
    private static int tensorInfoOffsetField(byte[] file, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 8 + n.length < file.length; i++) {
            if (buf.getLong(i) == n.length && Arrays.equals(file, i + 8, i + 8 + n.length, n, 0, n.length)) {
                int p = i + 8 + n.length;
                int dims = buf.getInt(p);
                if (dims < 1 || dims > 4) continue;
                return p + 4 + 8 * dims + 4;
            }
        }
        throw new AssertionError("tensor info not found: " + name);
    }
}
