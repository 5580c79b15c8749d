package dev.canopy.engine;

import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.natives.rpc.RpcEndpoint;

import java.util.List;

/**
 * How to load and run a model.
 *
 * @param engine        preferred engine; CANOPY falls back to LLAMA (with a notice) for architectures it cannot build
 * @param contextTokens context window per session (0 = min(model's training context, 8192))
 * @param chunkTokens   fixed prefill chunk size C (0 = 256 on CPU, 512 on GPU)
 * @param threads       CPU threads (0 = all processors; more than the processors run as many as there are)
 * @param gpuLayers     layers on the GPU (0 = CPU only, -1 = as many as fit)
 * @param attention     "Long-context acceleration": dense (exact, the default) or a sparse mode with
 *                      its budgets; only the Canopy engine runs sparse modes (the llama.cpp fallback is dense)
 * @param weights       how Canopy's engine keeps the CPU layers' matrices (repacked by default)
 * @param kvPrecision   "KV precision": the KV cache's type (F16 by default; Q8_0 and Q4_0 quantize it,
 *                      falling back to F16 with a notice for models whose head size is not a multiple of 32)
 * @param workers       "Other computers": workers ({@code canopy worker}, ggml's RPC servers) whose devices take
 *                      the offloaded layers with this computer's GPU, by free memory; empty = this computer only
 * @param shares        how the offloaded layers are shared between those devices: by free memory (the
 *                      default) or by given weights ({@code --tensor-split})
 */
public record EngineOptions(EngineKind engine, int contextTokens, int chunkTokens, int threads, int gpuLayers,
                            SparseAttentionSettings attention, WeightLayout weights, KvPrecision kvPrecision,
                            List<RpcEndpoint> workers, DeviceShares shares) {
    public EngineOptions {
        if (attention == null) attention = SparseAttentionSettings.dense();
        if (weights == null) weights = WeightLayout.REPACKED;
        if (kvPrecision == null) kvPrecision = KvPrecision.F16;
        workers = workers == null ? List.of() : List.copyOf(workers);
        if (shares == null) shares = DeviceShares.BY_FREE_MEMORY;
    }

    /** The workers' devices share the offloaded layers by free memory. */
    public EngineOptions(EngineKind engine, int contextTokens, int chunkTokens, int threads, int gpuLayers,
                         SparseAttentionSettings attention, WeightLayout weights, KvPrecision kvPrecision,
                         List<RpcEndpoint> workers) {
        this(engine, contextTokens, chunkTokens, threads, gpuLayers, attention, weights, kvPrecision, workers, DeviceShares.BY_FREE_MEMORY);
    }

    /** This computer only. */
    public EngineOptions(EngineKind engine, int contextTokens, int chunkTokens, int threads, int gpuLayers,
                         SparseAttentionSettings attention, WeightLayout weights, KvPrecision kvPrecision) {
        this(engine, contextTokens, chunkTokens, threads, gpuLayers, attention, weights, kvPrecision, List.of());
    }

    /** Repacked weights, F16 KV. */
    public EngineOptions(EngineKind engine, int contextTokens, int chunkTokens, int threads, int gpuLayers,
                         SparseAttentionSettings attention) {
        this(engine, contextTokens, chunkTokens, threads, gpuLayers, attention, WeightLayout.REPACKED, KvPrecision.F16);
    }

    /** Dense attention. */
    public EngineOptions(EngineKind engine, int contextTokens, int chunkTokens, int threads, int gpuLayers) {
        this(engine, contextTokens, chunkTokens, threads, gpuLayers, SparseAttentionSettings.dense());
    }

    public static EngineOptions defaults() {
        return new EngineOptions(EngineKind.CANOPY, 0, 0, 0, 0);
    }

    public EngineOptions withEngine(EngineKind e) { return new EngineOptions(e, contextTokens, chunkTokens, threads, gpuLayers, attention, weights, kvPrecision, workers, shares); }
    public EngineOptions withContext(int n) { return new EngineOptions(engine, n, chunkTokens, threads, gpuLayers, attention, weights, kvPrecision, workers, shares); }
    public EngineOptions withChunk(int n) { return new EngineOptions(engine, contextTokens, n, threads, gpuLayers, attention, weights, kvPrecision, workers, shares); }
    public EngineOptions withThreads(int n) { return new EngineOptions(engine, contextTokens, chunkTokens, n, gpuLayers, attention, weights, kvPrecision, workers, shares); }
    public EngineOptions withGpuLayers(int n) { return new EngineOptions(engine, contextTokens, chunkTokens, threads, n, attention, weights, kvPrecision, workers, shares); }
    public EngineOptions withAttention(SparseAttentionSettings a) { return new EngineOptions(engine, contextTokens, chunkTokens, threads, gpuLayers, a, weights, kvPrecision, workers, shares); }
    public EngineOptions withWeights(WeightLayout w) { return new EngineOptions(engine, contextTokens, chunkTokens, threads, gpuLayers, attention, w, kvPrecision, workers, shares); }
    public EngineOptions withWorkers(List<RpcEndpoint> w) { return new EngineOptions(engine, contextTokens, chunkTokens, threads, gpuLayers, attention, weights, kvPrecision, w, shares); }
    public EngineOptions withShares(DeviceShares d) { return new EngineOptions(engine, contextTokens, chunkTokens, threads, gpuLayers, attention, weights, kvPrecision, workers, d); }
    public EngineOptions withKvPrecision(KvPrecision p) { return new EngineOptions(engine, contextTokens, chunkTokens, threads, gpuLayers, attention, weights, p, workers, shares); }

    /**
     * The threads a session runs: all processors for 0, and never more than there are. ggml's
     * threads wait for each other at every op by spinning, so a thread without a processor of its
     * own stalls the rest: {@code --threads 1000} on two cores did not finish 4 tokens in 2 minutes.
     */
    public int effectiveThreads() {
        int processors = Runtime.getRuntime().availableProcessors();
        return threads > 0 ? Math.min(threads, processors) : processors;
    }
}
