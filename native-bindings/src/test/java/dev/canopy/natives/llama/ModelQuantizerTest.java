package dev.canopy.natives.llama;

import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.gguf.GgufFile;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** libllama's quantizer over a random F16 model 256 wide (so every K-quant fits its rows): the asked types, and it runs. */
class ModelQuantizerTest {
    @TempDir static Path dir;
    static Path f16;

    @BeforeAll
    static void writeSource() throws Exception {
        f16 = TinyModels.write(TinyModelSpec.tiny("llama").withShape(256, 2, 4, 2, 512).withType(GgmlType.F16), dir.resolve("src-f16.gguf"));
    }

    @ParameterizedTest
    @EnumSource(QuantType.class)
    void quantizedModelHasTheAskedTypeLoadsAndGenerates(QuantType type) {
        Path out = dir.resolve(type + ".gguf");
        ModelQuantizer.quantize(f16, out, type, 2);
        try (GgufFile g = GgufFile.open(out)) {
            assertThat(g.getLong("general.file_type")).contains((long) type.fileType());
            for (int layer = 0; layer < 2; layer++) {
                for (String m : new String[] {"attn_q", "attn_k", "attn_output", "ffn_gate", "ffn_up"}) {
                    assertThat(g.tensor("blk." + layer + "." + m + ".weight").orElseThrow().typeName()).as(m).isEqualTo(type.mainTensorType());
                }
            }
            assertThat(g.tensor("blk.0.attn_norm.weight").orElseThrow().typeName()).isEqualTo("f32"); // norms stay F32
        }
        try (LlamaModel model = LlamaModel.load(out, ModelParams.cpu());
             LlamaContext ctx = LlamaContext.create(model, ContextParams.of(256).withThreads(2));
             LlamaBatch batch = new LlamaBatch(64, 1)) {
            int[] prompt = model.vocab().tokenize("Once upon a time", true, false);
            float[] logits = ctx.prefill(batch, prompt);
            for (int i = 0; i < 4; i++) {
                int next = argmax(logits);
                assertThat(next).isBetween(0, 31999);
                logits = ctx.next(batch, next, prompt.length + i);
                for (float f : logits) assertThat(Float.isFinite(f)).isTrue();
            }
        }
    }

    @Test
    void aMissingInputIsAClearError() {
        Path missing = dir.resolve("none.gguf");
        assertThatThrownBy(() -> ModelQuantizer.quantize(missing, dir.resolve("x.gguf"), QuantType.Q4_K_M, 1))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("none.gguf").hasMessageContaining("Q4_K_M");
        assertThat(Files.exists(dir.resolve("x.gguf"))).isFalse();
        assertThatThrownBy(() -> QuantType.parse("Q3_K_L")).hasMessageContaining("Q4_K_M");
        assertThat(QuantType.parse("q4_k_m")).isEqualTo(QuantType.Q4_K_M);
    }

    private static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
