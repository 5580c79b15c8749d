package dev.canopy.natives.llama;

import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.gguf.GgufFile;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes tiny models through the gguf API, loads them with libllama, and decodes a prompt. */
class TinyModelRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"llama,F32", "qwen2,F32", "qwen3,F32", "llama,F16", "llama,Q8_0"})
    void writtenModelLoadsTokenizesAndGivesFiniteDeterministicLogits(String arch, GgmlType type) throws Exception {
        Path file = TinyModels.write(TinyModelSpec.tiny(arch).withType(type), dir.resolve(arch + "-" + type + ".gguf"));

        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.getString("general.architecture")).contains(arch);
            assertThat(gguf.tensor("blk.1.ffn_down.weight")).isPresent();
            assertThat(gguf.tensor("blk.0.attn_q.weight").orElseThrow().typeName()).isEqualToIgnoringCase(type.name());
        }

        try (LlamaModel model = LlamaModel.load(file, ModelParams.cpu())) {
            assertThat(model.layers()).isEqualTo(2);
            assertThat(model.embedding()).isEqualTo(64);
            assertThat(model.kvHeads()).isEqualTo(2);
            assertThat(model.meta("general.architecture")).contains(arch);

            int[] tokens = model.vocab().tokenize("Hello world, this is Canopy.", true, false);
            assertThat(tokens[0]).isEqualTo(model.vocab().bos());
            // SentencePiece adds a space before the first word; detokenizing keeps it.
            assertThat(model.vocab().detokenize(tokens, true, false)).isEqualTo(" Hello world, this is Canopy.");

            float[] first = lastLogits(model, tokens);
            float[] second = lastLogits(model, tokens);
            assertThat(first).hasSize(32000);
            for (float f : first) assertThat(Float.isFinite(f)).isTrue();
            assertThat(second).containsExactly(first);
            assertThat(max(first) - min(first)).as("logits are not constant").isGreaterThan(1e-3f);
        }
    }

    private static float[] lastLogits(LlamaModel model, int[] tokens) {
        try (LlamaContext ctx = LlamaContext.create(model, ContextParams.of(256).withThreads(2));
             LlamaBatch batch = new LlamaBatch(tokens.length, 1)) {
            for (int i = 0; i < tokens.length; i++) batch.add(tokens[i], i, i == tokens.length - 1, 0);
            ctx.decode(batch);
            return ctx.logits(-1);
        }
    }

    private static float max(float[] a) {
        float m = Float.NEGATIVE_INFINITY;
        for (float f : a) m = Math.max(m, f);
        return m;
    }

    private static float min(float[] a) {
        float m = Float.POSITIVE_INFINITY;
        for (float f : a) m = Math.min(m, f);
        return m;
    }
}
