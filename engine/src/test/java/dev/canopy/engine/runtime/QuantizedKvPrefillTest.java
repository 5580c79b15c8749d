package dev.canopy.engine.runtime;

import dev.canopy.engine.kv.DenseKvCache;
import dev.canopy.engine.model.HparamsReader;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.engine.weights.ModelWeights;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.gguf.GgufFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over a quantized KV, a prefill chunk attends to a dequantized F32 copy of the window (ggml's CPU
 * kernel tiles only F16/F32 keys; decision 0195), a decoded token to the quantized cells directly;
 * an F16 KV is read as it is. Both ways give the logits of the same quantized values.
 */
class QuantizedKvPrefillTest {
    private static final int CHUNK = 96;   // >= FlashAttention.TILED_ROWS

    @Test
    void aPrefillChunkReadsTheQuantizedWindowAsF32AndADecodeStepDoesNot() {
        float[][] q8 = run(llama_h.GGML_TYPE_Q8_0(), "k_f32-0", "v_f32-0");
        float[][] f16 = run(llama_h.GGML_TYPE_F16(), null, null);
        assertThat(argmax(q8[0])).as("the chunk's last row, q8_0 vs F16 KV").isEqualTo(argmax(f16[0]));
        assertThat(argmax(q8[1])).as("the decoded token").isEqualTo(argmax(f16[1]));
        double diff = 0;
        for (int i = 0; i < q8[0].length; i++) diff = Math.max(diff, Math.abs(q8[0][i] - f16[0][i]));
        assertThat(diff).as("q8_0 rounds the KV").isGreaterThan(0).isLessThan(0.5);
    }

    /** Prefills CHUNK tokens then decodes one over a KV of {@code type}; asserts the graphs' dequantized copies. */
    private static float[][] run(int type, String prefillHas, String vHas) {
        Path file = TinyModelFiles.llamaWithHeadDim32();   // a q8_0 block fits its heads
        int[] prompt = TinyModelFiles.promptTokens(CHUNK + 1, 11);
        int[] chunk = java.util.Arrays.copyOf(prompt, CHUNK);
        try (GgufFile g = GgufFile.open(file)) {
            ModelHparams hp = HparamsReader.read(g);
            try (ModelWeights w = ModelWeights.mapCpu(g, hp);
                 GgmlBackend be = GgmlBackend.cpu(2);
                 DenseKvCache kv = DenseKvCache.allocate(be, hp.layers(), hp.kvWidth(), 256, type);
                 ForwardPass fp = new ForwardPass(hp, w, kv, be, WindowPolicy.POWER_OF_TWO)) {
                float[] last = fp.run(Step.causal(chunk, 0, 0), CHUNK, 1)[0];
                assertThat(fp.lastGraphHas("k_f32-0")).as("prefill over KV type " + type + " dequantizes K").isEqualTo(prefillHas != null);
                assertThat(fp.lastGraphHas("v_f32-0")).as("and V").isEqualTo(vHas != null);
                assertThat(fp.lastGraphHas("fattn-0")).as("the name lookup works").isTrue();
                float[] next = fp.run(Step.causal(new int[] {prompt[CHUNK]}, CHUNK, CHUNK), 1, 1)[0];
                assertThat(fp.lastGraphHas("k_f32-0")).as("a decode step reads the quantized cells").isFalse();
                return new float[][] {last, next};
            }
        }
    }

    private static int argmax(float[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[b]) b = i;
        return b;
    }
}
