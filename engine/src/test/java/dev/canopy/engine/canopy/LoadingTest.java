package dev.canopy.engine.canopy;

import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.ModelInspector;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.gguf.GgufFile;
import dev.canopy.natives.gguf.GgufWriter;
import dev.canopy.natives.llama.ModelLoadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which engine loads what, and what a damaged file gives. */
class LoadingTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3"})
    void supportedArchitecturesRunOnCanopysGraph(String arch) {
        assertThat(Engines.canopyArchitectures()).contains(arch);
        try (InferenceModel m = Engines.load(TinyModelFiles.get(arch, GgmlType.F16), EngineOptions.defaults().withThreads(2))) {
            assertThat(m.engine()).isEqualTo(EngineKind.CANOPY);
            assertThat(m.notice()).isEmpty();
            assertThat(m.info().architecture()).isEqualTo(arch);
            assertThat(m.info().layers()).isEqualTo(2);
            assertThat(((CanopyInferenceModel) m).hparams().kvHeads()).isEqualTo(2);
            assertThat(m.tokenizer().vocabSize()).isEqualTo(32000);
        }
    }

    @Test
    void aFeatureTheGraphDoesNotBuildFallsBackToLlamaCppWithTheReason() throws Exception {
        Path src = TinyModelFiles.get("llama", GgmlType.F32);
        Path yarn = dir.resolve("yarn.gguf");
        try (GgufFile in = GgufFile.open(src); GgufWriter w = new GgufWriter(); FileChannel ch = FileChannel.open(src)) {
            w.copyKeys(in, "").put("llama.rope.scaling.type", "yarn");
            for (GgufFile.TensorInfo t : in.tensors()) {
                ByteBuffer buf = ByteBuffer.allocate((int) t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(buf, t.offset());
                float[] data = new float[(int) (t.bytes() / 4)];
                buf.flip().asFloatBuffer().get(data);
                w.addTensor(t.name(), GgmlType.F32, t.shape(), data);
            }
            w.write(yarn);
        }
        try (InferenceModel m = Engines.load(yarn, EngineOptions.defaults().withThreads(2))) {
            assertThat(m.engine()).isEqualTo(EngineKind.LLAMA);
            assertThat(m.notice()).hasValueSatisfying(n -> assertThat(n).contains("yarn").contains("llama.cpp"));
        }
    }

    @Test
    void truncatedFileGivesAClearError() throws Exception {
        byte[] bytes = Files.readAllBytes(TinyModelFiles.get("llama", GgmlType.F32));
        Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(bytes, bytes.length - 1000));
        assertThatThrownBy(() -> Engines.load(cut, EngineOptions.defaults()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("truncated");
    }

    @Test
    void garbageAfterTheMagicGivesAClearError() throws Exception {
        byte[] bytes = Files.readAllBytes(TinyModelFiles.get("llama", GgmlType.F32));
        for (int i = 8; i < 200; i++) bytes[i] = (byte) (i * 31);
        Path bad = Files.write(dir.resolve("bad.gguf"), bytes);
        assertThatThrownBy(() -> CanopyInferenceModel.load(ModelInspector.inspect(bad), EngineOptions.defaults()))
                .isInstanceOf(ModelLoadException.class);
    }

    @Test
    void badMagicGivesAClearError() throws Exception {
        byte[] bytes = Files.readAllBytes(TinyModelFiles.get("llama", GgmlType.F32));
        bytes[0] = 'G'; bytes[1] = 'G'; bytes[2] = 'M'; bytes[3] = 'L';
        Path bad = Files.write(dir.resolve("magic.gguf"), bytes);
        assertThatThrownBy(() -> Engines.load(bad, EngineOptions.defaults()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("bad magic");
    }

    @Test
    void tensorDataOutOfTheFileGivesAClearError() throws Exception {
        Path src = TinyModelFiles.get("llama", GgmlType.F32);
        GgufFile.TensorInfo last;
        try (GgufFile g = GgufFile.open(src)) {
            last = g.tensors().stream().max(java.util.Comparator.comparingLong(GgufFile.TensorInfo::offset)).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(src);
        // the tensor's directory entry: u64 name length, name, u32 n_dims, i64 ne[n_dims]; make its last dimension 8x larger
        byte[] name = last.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer key = ByteBuffer.allocate(8 + name.length).order(ByteOrder.LITTLE_ENDIAN).putLong(name.length).put(name);
        int at = indexOf(bytes, key.array());
        assertThat(at).as("directory entry of " + last.name()).isPositive();
        ByteBuffer entry = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int dims = entry.getInt(at + key.capacity());
        int lastDim = at + key.capacity() + 4 + 8 * (dims - 1);
        entry.putLong(lastDim, entry.getLong(lastDim) * 8);
        Path bad = Files.write(dir.resolve("oob.gguf"), bytes);
        assertThatThrownBy(() -> Engines.load(bad, EngineOptions.defaults()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(last.name()).hasMessageContaining("truncated or damaged");
    }

    @Test
    void tensorShapeDisagreeingWithTheMetadataGivesAClearError() throws Exception {
        Path src = TinyModelFiles.get("llama", GgmlType.F32);
        Path bad = dir.resolve("shape.gguf");
        try (GgufFile in = GgufFile.open(src); GgufWriter w = new GgufWriter(); FileChannel ch = FileChannel.open(src)) {
            w.copyKeys(in, "").putU32("llama.feed_forward_length", 96);
            for (GgufFile.TensorInfo t : in.tensors()) {
                ByteBuffer buf = ByteBuffer.allocate((int) t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(buf, t.offset());
                float[] data = new float[(int) (t.bytes() / 4)];
                buf.flip().asFloatBuffer().get(data);
                w.addTensor(t.name(), GgmlType.F32, t.shape(), data);
            }
            w.write(bad);
        }
        assertThatThrownBy(() -> CanopyInferenceModel.load(ModelInspector.inspect(bad), EngineOptions.defaults()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("ffn_gate").hasMessageContaining("metadata implies");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void notAGgufGivesAClearError() throws Exception {
        Path text = Files.writeString(dir.resolve("model.gguf"), "this is not a model, just some text in a file");
        assertThatThrownBy(() -> Engines.load(text, EngineOptions.defaults()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("GGUF");
    }
}
