package dev.canopy.app.settings;

import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.KvPrecision;
import dev.canopy.engine.SpeculationMode;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.natives.rpc.RpcEndpoint;

import java.util.List;

/**
 * Everything the Settings view edits, persisted as {@code settings.json} in the data folder.
 * Paths are strings; an empty string means "the default place under the data folder".
 *
 * @param theme          light or dark
 * @param device         CPU only, or layers on the GPU when there is one (the default; the CPU where there is none)
 * @param gpuLayers      layers on the GPU when {@code device} is GPU (-1 = as many as fit, the default)
 * @param threads        CPU threads (0 = all processors)
 * @param chunkTokens    fixed prefill chunk size (0 = engine default)
 * @param contextTokens  context window (0 = min(model's training context, 8192))
 * @param attention      dense or DHSA sparse attention
 * @param attentionBudgetTokens DHSA's token budget per query
 * @param kvGpuMb        KV budget on the GPU tier, MiB
 * @param kvCpuMb        KV budget in system memory, MiB
 * @param kvDiskMb       KV budget on disk, MiB
 * @param kvDiskFolder   folder of the disk KV tier (empty = {@code kv} under the data folder)
 * @param kvTiers        whether chats keep each conversation's KV in the tiered store (GPU, RAM and disk
 *                       budgets above), saved in {@code kvDiskFolder} so it survives a restart; Canopy's
 *                       own engine only, and not with DHSA (which needs the dense KV)
 * @param dataFolder     folder of the database and models (takes effect on restart)
 * @param modelsFolder   folder scanned for .gguf files and where downloads go
 * @param memoryEnabled  whether chats read and write long-term memory
 * @param activeModel    the model chats use, or empty
 * @param kvPrecision    "KV precision": 16-bit (exact, the default), 8-bit or 4-bit KV cache; kept with the
 *                       conversation's saved KV, which a change of it recomputes (a settings file without it: 16-bit)
 * @param speculation    "Faster answers (speculative)": off (the default), prompt lookup, or a draft model (decision 0160)
 * @param draftModel     the draft model's file with {@link SpeculationMode#DRAFT} (empty otherwise)
 * @param workers        "Other computers": workers ({@code canopy worker}) as {@code host:port}, in order; empty =
 *                       this computer only. With any, the offloaded layers are split over their devices, by
 *                       either engine (decisions 0115, 0200)
 */
public record AppSettings(Theme theme, ComputeDevice device, int gpuLayers, int threads, int chunkTokens,
                          int contextTokens, AttentionMode attention, int attentionBudgetTokens,
                          long kvGpuMb, long kvCpuMb, long kvDiskMb, String kvDiskFolder, boolean kvTiers, String dataFolder,
                          String modelsFolder, boolean memoryEnabled, String activeModel, KvPrecision kvPrecision,
                          SpeculationMode speculation, String draftModel, List<String> workers) {

    /** Without speculation and other computers. */
    public AppSettings(Theme theme, ComputeDevice device, int gpuLayers, int threads, int chunkTokens,
                       int contextTokens, AttentionMode attention, int attentionBudgetTokens,
                       long kvGpuMb, long kvCpuMb, long kvDiskMb, String kvDiskFolder, boolean kvTiers, String dataFolder,
                       String modelsFolder, boolean memoryEnabled, String activeModel, KvPrecision kvPrecision) {
        this(theme, device, gpuLayers, threads, chunkTokens, contextTokens, attention, attentionBudgetTokens, kvGpuMb, kvCpuMb,
                kvDiskMb, kvDiskFolder, kvTiers, dataFolder, modelsFolder, memoryEnabled, activeModel, kvPrecision,
                SpeculationMode.OFF, "", List.of());
    }

    /** With a 16-bit KV. */
    public AppSettings(Theme theme, ComputeDevice device, int gpuLayers, int threads, int chunkTokens,
                       int contextTokens, AttentionMode attention, int attentionBudgetTokens,
                       long kvGpuMb, long kvCpuMb, long kvDiskMb, String kvDiskFolder, boolean kvTiers, String dataFolder,
                       String modelsFolder, boolean memoryEnabled, String activeModel) {
        this(theme, device, gpuLayers, threads, chunkTokens, contextTokens, attention, attentionBudgetTokens, kvGpuMb, kvCpuMb,
                kvDiskMb, kvDiskFolder, kvTiers, dataFolder, modelsFolder, memoryEnabled, activeModel, KvPrecision.F16);
    }

    public AppSettings {
        if (theme == null) theme = Theme.LIGHT;
        if (device == null) device = ComputeDevice.GPU;
        if (attention == null) attention = AttentionMode.DENSE;
        if (kvDiskFolder == null) kvDiskFolder = "";
        if (dataFolder == null) dataFolder = "";
        if (modelsFolder == null) modelsFolder = "";
        if (activeModel == null) activeModel = "";
        if (kvPrecision == null) kvPrecision = KvPrecision.F16;
        if (speculation == null) speculation = SpeculationMode.OFF;
        if (draftModel == null) draftModel = "";
        workers = workers == null ? List.of() : List.copyOf(workers);
    }

    public static AppSettings defaults() {
        return new AppSettings(Theme.SYSTEM, ComputeDevice.GPU, -1, 0, 0, 0, AttentionMode.DENSE, 2048,
                1024, 4096, 16384, "", false, "", "", true, "");
    }

    /** The engine options these settings ask for (the attention mode and the other computers included). */
    public EngineOptions engineOptions() {
        return new EngineOptions(EngineKind.CANOPY, contextTokens, chunkTokens, threads,
                device == ComputeDevice.GPU ? gpuLayers : 0, sparseAttention()).withKvPrecision(kvPrecision)
                .withWorkers(workerEndpoints());
    }

    /** {@link #workers} as endpoints; a malformed entry (a hand-edited file) is left out. */
    public List<RpcEndpoint> workerEndpoints() {
        return workers.stream().flatMap(w -> {
            try {
                return java.util.stream.Stream.of(RpcEndpoint.parse(w));
            } catch (IllegalArgumentException e) {
                return java.util.stream.Stream.empty();
            }
        }).toList();
    }

    /** "Faster answers": what the chat asks of each answer, and with a draft model which file. */
    public AppSettings withSpeculation(SpeculationMode mode, String draftFile) {
        return new AppSettings(theme, device, gpuLayers, threads, chunkTokens, contextTokens, attention,
                attentionBudgetTokens, kvGpuMb, kvCpuMb, kvDiskMb, kvDiskFolder, kvTiers, dataFolder, modelsFolder,
                memoryEnabled, activeModel, kvPrecision, mode, draftFile, workers);
    }

    /** "Other computers": the workers ({@code host:port}) a model's offloaded layers go to. */
    public AppSettings withWorkers(List<String> hostPorts) {
        return new AppSettings(theme, device, gpuLayers, threads, chunkTokens, contextTokens, attention,
                attentionBudgetTokens, kvGpuMb, kvCpuMb, kvDiskMb, kvDiskFolder, kvTiers, dataFolder, modelsFolder,
                memoryEnabled, activeModel, kvPrecision, speculation, draftModel, hostPorts);
    }

    /** "Long-context acceleration" as the engine takes it: dense, or DHSA with the chosen budget. */
    public SparseAttentionSettings sparseAttention() {
        if (attention == AttentionMode.DENSE) return SparseAttentionSettings.dense();
        return SparseAttentionSettings.of(AttentionMode.DHSA).withBudget(attentionBudgetTokens);
    }

    public AppSettings withTheme(Theme t) {
        return new AppSettings(t, device, gpuLayers, threads, chunkTokens, contextTokens, attention,
                attentionBudgetTokens, kvGpuMb, kvCpuMb, kvDiskMb, kvDiskFolder, kvTiers, dataFolder, modelsFolder,
                memoryEnabled, activeModel, kvPrecision, speculation, draftModel, workers);
    }

    public AppSettings withActiveModel(String path) {
        return new AppSettings(theme, device, gpuLayers, threads, chunkTokens, contextTokens, attention,
                attentionBudgetTokens, kvGpuMb, kvCpuMb, kvDiskMb, kvDiskFolder, kvTiers, dataFolder, modelsFolder,
                memoryEnabled, path, kvPrecision, speculation, draftModel, workers);
    }

    public AppSettings withMemoryEnabled(boolean on) {
        return new AppSettings(theme, device, gpuLayers, threads, chunkTokens, contextTokens, attention,
                attentionBudgetTokens, kvGpuMb, kvCpuMb, kvDiskMb, kvDiskFolder, kvTiers, dataFolder, modelsFolder,
                on, activeModel, kvPrecision, speculation, draftModel, workers);
    }

    /** Whether a change from {@code before} to this needs the model to be loaded again. */
    public boolean needsReloadComparedTo(AppSettings before) {
        return !engineOptions().equals(before.engineOptions()) || attention != before.attention
                || attentionBudgetTokens != before.attentionBudgetTokens;
    }
}
