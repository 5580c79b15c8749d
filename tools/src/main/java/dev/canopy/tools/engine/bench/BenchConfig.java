package dev.canopy.tools.engine.bench;

import dev.canopy.engine.KvPrecision;
import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.runtime.WindowPolicy;
import dev.canopy.engine.sparse.SparseAttentionSettings;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * What {@link EngineBench} measures: both engines get the same threads, chunk size and context.
 *
 * @param model         GGUF file (an architecture Canopy's graph builds)
 * @param promptTokens  prompt lengths to prefill, each at least 2
 * @param genTokens     tokens decoded one at a time after each prompt
 * @param threads       CPU threads
 * @param chunk         prefill chunk size C (llama.cpp: n_batch = n_ubatch = C)
 * @param repeats       interleaved runs per engine and length; the best prefill and decode are kept
 * @param contextTokens KV cells of both engines; 0 = just enough for the longest prompt and the decode
 * @param attention     dense, or a sparse mode Canopy also runs (next to its dense run) against dense llama.cpp
 * @param gpuLayers     layers both engines put on the GPU (0 = CPU only, -1 = all, as llama.cpp's -ngl)
 * @param windows       Canopy's KV window policy (the session default, or another for comparisons)
 * @param kvPrecision   Canopy's KV type in a run next to its F16 run (with the sparse mode, if any), to
 *                      compare their speed; F16 adds no run
 */
public record BenchConfig(Path model, int[] promptTokens, int genTokens, int threads, int chunk, int repeats,
                          int contextTokens, SparseAttentionSettings attention, int gpuLayers, WindowPolicy windows,
                          KvPrecision kvPrecision) {
    /** With the session's default KV windows and an F16 KV. */
    public BenchConfig(Path model, int[] promptTokens, int genTokens, int threads, int chunk, int repeats, int contextTokens,
                       SparseAttentionSettings attention, int gpuLayers) {
        this(model, promptTokens, genTokens, threads, chunk, repeats, contextTokens, attention, gpuLayers,
                CanopyInferenceModel.DEFAULT_WINDOWS, KvPrecision.F16);
    }

    /** On the CPU. */
    public BenchConfig(Path model, int[] promptTokens, int genTokens, int threads, int chunk, int repeats, int contextTokens,
                       SparseAttentionSettings attention) {
        this(model, promptTokens, genTokens, threads, chunk, repeats, contextTokens, attention, 0);
    }

    /** Dense attention only. */
    public BenchConfig(Path model, int[] promptTokens, int genTokens, int threads, int chunk, int repeats, int contextTokens) {
        this(model, promptTokens, genTokens, threads, chunk, repeats, contextTokens, SparseAttentionSettings.dense());
    }

    public BenchConfig {
        if (attention == null) attention = SparseAttentionSettings.dense();
        if (windows == null) windows = CanopyInferenceModel.DEFAULT_WINDOWS;
        if (kvPrecision == null) kvPrecision = KvPrecision.F16;
        promptTokens = promptTokens.clone();
        if (promptTokens.length == 0) throw new IllegalArgumentException("bench needs at least one prompt length");
        for (int p : promptTokens) {
            if (p < 2) throw new IllegalArgumentException("prompt lengths must be at least 2 tokens, not " + p);
        }
        if (genTokens < 1) throw new IllegalArgumentException("--gen-tokens must be at least 1");
        if (gpuLayers < -1) throw new IllegalArgumentException("--gpu-layers must be -1 (all), 0 or more");
        if (threads < 1 || chunk < 1 || repeats < 1) throw new IllegalArgumentException("--threads, --chunk and --repeats must be at least 1");
        if (contextTokens != 0 && contextTokens < maxPrompt(promptTokens) + genTokens + 1) {
            throw new IllegalArgumentException("--context " + contextTokens + " cannot hold a " + maxPrompt(promptTokens)
                    + "-token prompt and " + genTokens + " generated tokens");
        }
    }

    /** The prefill chunk size Canopy's engine takes by default: 256 on the CPU, 512 with GPU layers. */
    public static int defaultChunk(int gpuLayers) {
        return gpuLayers != 0 ? CanopyInferenceModel.DEFAULT_GPU_CHUNK : CanopyInferenceModel.DEFAULT_CPU_CHUNK;
    }

    /** The KV cells both engines get. */
    public int effectiveContext() {
        if (contextTokens > 0) return contextTokens;
        return (maxPrompt(promptTokens) + genTokens + 1 + 255) / 256 * 256;
    }

    @Override
    public int[] promptTokens() {
        return promptTokens.clone();
    }

    private static int maxPrompt(int[] lengths) {
        return Arrays.stream(lengths).max().orElse(0);
    }
}
