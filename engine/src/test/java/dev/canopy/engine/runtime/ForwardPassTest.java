package dev.canopy.engine.runtime;

import dev.canopy.engine.kv.DenseKvCache;
import dev.canopy.engine.model.HparamsReader;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.engine.weights.ModelWeights;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.gguf.GgufFile;
import dev.canopy.natives.llama.ContextParams;
import dev.canopy.natives.llama.LlamaBatch;
import dev.canopy.natives.llama.LlamaContext;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.ModelParams;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The bare forward pass (one-shot, F16 KV) against llama_decode: same graph, same kernels, same bits. */
class ForwardPassTest {
    @Test
    void oneShotLlamaF32MatchesLlamaCpp() {
        Path file = TinyModelFiles.get("llama", GgmlType.F32);
        int[] prompt = TinyModelFiles.promptTokens(40, 7);
        float[] ours;
        try (GgufFile g = GgufFile.open(file)) {
            ModelHparams hp = HparamsReader.read(g);
            try (ModelWeights w = ModelWeights.mapCpu(g, hp);
                 GgmlBackend be = GgmlBackend.cpu(2);
                 DenseKvCache kv = DenseKvCache.allocate(be, hp.layers(), hp.kvWidth(), 256, llama_h.GGML_TYPE_F16());
                 ForwardPass fp = new ForwardPass(hp, w, kv, be, WindowPolicy.POWER_OF_TWO)) {
                ours = fp.run(Step.causal(prompt, 0, 0), prompt.length, 1)[0];
            }
        }
        float[] ref;
        try (LlamaModel m = LlamaModel.load(file, ModelParams.cpu());
             LlamaContext ctx = LlamaContext.create(m, ContextParams.of(256).withThreads(2));
             LlamaBatch batch = new LlamaBatch(prompt.length, 1)) {
            for (int i = 0; i < prompt.length; i++) batch.add(prompt[i], i, i == prompt.length - 1, 0);
            ctx.decode(batch);
            ref = ctx.logits(-1);
        }
        double maxDiff = 0;
        for (int i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ref[i] - ours[i]));
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float f : ref) { lo = Math.min(lo, f); hi = Math.max(hi, f); }
        assertThat(hi - lo).as("reference logits vary").isGreaterThan(0.1f);
        assertThat(maxDiff).isLessThanOrEqualTo(1e-3);
    }
}
