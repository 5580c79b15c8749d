package dev.canopy.engine.kv;

import dev.canopy.kv.KvKey;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.canopy.RunSettings;
import dev.canopy.engine.canopy.SequenceEngine;
import dev.canopy.engine.runtime.WindowPolicy;
import dev.canopy.natives.ffi.llama_h;

import java.nio.file.Path;

/** The tiny model and greedy runs shared by the tiered-KV tests (also used by the child JVM). */
final class KvFixture {
    static final int CONTEXT = 512;
    static final int CHUNK = 32;
    static final int PAGE = 16;

    private KvFixture() {}

    static CanopyInferenceModel load(Path file) {
        return (CanopyInferenceModel) Engines.load(file, EngineOptions.defaults().withThreads(2).withContext(CONTEXT).withChunk(CHUNK));
    }

    static RunSettings settings() {
        return new RunSettings(CONTEXT, CHUNK, 2, llama_h.GGML_TYPE_F16(), WindowPolicy.POWER_OF_TWO);
    }

    /** K and V bytes of the whole context (2 layers, 32-wide rows, F16). */
    static long kvBytes(CanopyInferenceModel m) {
        return 2L * m.hparams().layers() * CONTEXT * m.hparams().kvWidth() * 2;
    }

    /** RAM at {@code fraction} of the KV, every page attended to (dense over the tiers). */
    static KvOffload denseOverTiers(CanopyInferenceModel m, Path dir, String id, double fraction) {
        return KvOffload.ofMegabytes(dir, KvKey.named(id), 0, -1).withPageTokens(PAGE).withWindow(PAGE, 64)
                .withHostBytes((long) (kvBytes(m) * fraction)).withAttendTokens(CONTEXT);
    }

    /** Logits after the prompt and after each of {@code steps} greedy tokens; {@code tokens} gets the chosen ids. */
    static float[][] greedy(SequenceEngine s, int[] prompt, int steps, int[] tokens) {
        float[][] out = new float[steps + 1][];
        out[0] = s.prefill(prompt, 0, new CancellationToken(), GenerationListener.NONE).logits();
        for (int i = 0; i < steps; i++) {
            tokens[i] = argmax(out[i]);
            out[i + 1] = s.decode(tokens[i]);
        }
        return out;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
