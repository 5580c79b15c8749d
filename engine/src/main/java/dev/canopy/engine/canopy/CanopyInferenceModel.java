package dev.canopy.engine.canopy;

import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.SequencePool;
import dev.canopy.engine.batch.StepLoop;
import dev.canopy.engine.runtime.ComputeBackends;
import dev.canopy.engine.ModelInfo;
import dev.canopy.engine.TieredKv;
import dev.canopy.engine.Tokenizer;
import dev.canopy.engine.llama.LlamaEmbeddings;
import dev.canopy.engine.llama.LlamaInferenceModel;
import dev.canopy.engine.llama.LlamaTokenizer;
import dev.canopy.engine.model.HparamsReader;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.runtime.WindowPolicy;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.engine.weights.LayerPlacement;
import dev.canopy.engine.weights.LayerSplit;
import dev.canopy.engine.weights.ModelWeights;
import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.gguf.GgufFile;
import dev.canopy.natives.llama.ChatMessage;
import dev.canopy.natives.llama.ChatTemplates;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.LlamaVocab;
import dev.canopy.natives.llama.ModelParams;

import java.util.List;
import java.util.Optional;

/**
 * A model run by Canopy's own ggml graph: weights memory-mapped into a ggml CPU buffer in their
 * own types, tokenizer, chat template and sampling from libllama (vocabulary-only load). Owns the
 * weights and the vocabulary model.
 */
public final class CanopyInferenceModel implements InferenceModel {
    /** Default prefill chunk size on the CPU. */
    public static final int DEFAULT_CPU_CHUNK = 256;
    /** Default prefill chunk size with layers on a GPU. */
    public static final int DEFAULT_GPU_CHUNK = 512;
    /** Default KV window buckets of the attention: multiples of 256, like llama.cpp (decision 0076). */
    public static final WindowPolicy DEFAULT_WINDOWS = WindowPolicy.MULTIPLE_OF_256;

    private final ModelInfo info;
    private final EngineOptions options;
    private final ModelHparams hp;
    private final ModelWeights weights;  // owned
    private final LlamaModel vocabModel; // owned: libllama model loaded with vocab_only
    private final LlamaTokenizer tokenizer;
    private final LayerPlacement placement; // this computer's GPU layers (CPU only when the layers go to other computers)
    private final boolean gpuShortfall;  // a GPU is there but did not take every layer asked for
    private final String runsOn;         // "CPU", the GPU and its share of the layers, or the split over other computers

    private CanopyInferenceModel(ModelInfo info, EngineOptions options, ModelHparams hp, ModelWeights weights,
                                 LlamaModel vocabModel, LayerPlacement placement, boolean gpuShortfall, String runsOn) {
        this.placement = placement;
        this.gpuShortfall = gpuShortfall;
        this.runsOn = runsOn;
        this.info = info;
        this.options = options;
        this.hp = hp;
        this.weights = weights;
        this.vocabModel = vocabModel;
        this.tokenizer = new LlamaTokenizer(vocabModel.vocab());
    }

    /**
     * Loads {@code info.file()}; throws {@link dev.canopy.engine.model.UnsupportedModelException}
     * when the graph does not build this model and {@link dev.canopy.natives.llama.ModelLoadException}
     * when the file is damaged. With workers in the options, each is checked and connected first (one that
     * is down, refuses or speaks another protocol throws {@link dev.canopy.natives.rpc.RpcWorkerException}
     * naming it) and the offloaded layers are split over their devices as llama.cpp splits them
     * ({@link OtherComputers}); else the GPU layers go to this computer's GPU ({@link GpuLayers}).
     */
    public static CanopyInferenceModel load(ModelInfo info, EngineOptions options) {
        ModelHparams hp;
        ModelWeights weights;
        LayerPlacement placed;
        boolean gpuShortfall;
        String runsOn;
        try (GgufFile gguf = GgufFile.open(info.file())) {
            ModelHparams read = HparamsReader.read(gguf);
            hp = read;
            if (!options.workers().isEmpty()) {
                LayerSplit split = OtherComputers.split(options, hp.layers());
                weights = ModelWeights.load(gguf, read, split, options.weights());
                placed = LayerPlacement.cpuOnly(hp.layers());
                gpuShortfall = false;
                runsOn = split.describe();
            } else {
                int cells = RunSettings.paddedCells(LlamaInferenceModel.contextTokens(info, options));
                List<BackendDevice> devices = NativeRuntime.get().devices();
                LayerPlacement plan = GpuLayers.plan(options.gpuLayers(), hp, gguf.tensors(), cells, devices);
                Placed loaded = GpuLayers.loadFitting(plan,
                        p -> new Placed(p, ModelWeights.load(gguf, read, GpuLayers.split(p, devices), options.weights())));
                weights = loaded.weights();
                placed = loaded.placement();
                gpuShortfall = devices.stream().anyMatch(BackendDevice::isGpu) && !placed.meets(options.gpuLayers());
                runsOn = GpuLayers.runsOn(placed, devices);
            }
        }
        try {
            LlamaModel vocab = LlamaModel.load(info.file(), ModelParams.vocab());
            return new CanopyInferenceModel(info, options, hp, weights, vocab, placed, gpuShortfall, runsOn);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** The GPU placement a load ended with, and the weights loaded with it. */
    private record Placed(LayerPlacement placement, ModelWeights weights) {}

    @Override public ModelInfo info() { return info; }
    @Override public EngineKind engine() { return EngineKind.CANOPY; }
    @Override public String runsOn() { return runsOn; }
    /**
     * Set when the options ask for sparse attention this model cannot run (it then runs dense), for
     * a KV precision it cannot keep (it then keeps F16 KV), or for GPU layers that did not all fit
     * in the GPU's memory.
     */
    @Override public Optional<String> notice() {
        String joined = java.util.stream.Stream.of(denseNotice(), options.kvPrecision().fallbackNotice(hp.headDim()),
                        gpuShortfall ? Optional.of(GpuLayers.shortfall(placement)) : Optional.<String>empty())
                .flatMap(Optional::stream).collect(java.util.stream.Collectors.joining(" "));
        return joined.isEmpty() ? Optional.empty() : Optional.of(joined);
    }

    /** The KV precision sessions of this model keep: the one asked for, or F16 when the model cannot use it. */
    public dev.canopy.engine.KvPrecision kvPrecision() {
        return options.kvPrecision().forHeadDim(hp.headDim());
    }

    private Optional<String> denseNotice() {
        return hp.variant().denseOnlyReason().filter(why -> options.attention().mode().isSparse())
                .map(why -> "Long-context acceleration (" + options.attention().mode().cliName() + ") is off for this "
                        + hp.arch().ggufName() + " model because of " + why + ": it runs dense attention.");
    }

    /**
     * The layers on this computer's GPU (every layer on the CPU unless GPU layers were asked for and a GPU
     * is there); CPU only when the layers are split over other computers: see {@link #split()}.
     */
    public LayerPlacement placement() { return placement; }

    /** Where each layer runs: this computer's CPU, its GPU, or devices of other computers. */
    public LayerSplit split() { return weights.split(); }

    /** Bytes of weights copied into device memory, the GPU's or the workers' (0 when every layer is on the CPU). */
    public long gpuWeightBytes() { return weights.gpuBytes(); }
    @Override public Tokenizer tokenizer() { return tokenizer; }

    public ModelHparams hparams() { return hp; }
    ModelWeights weights() { return weights; }
    LlamaTokenizer llamaTokenizer() { return tokenizer; }
    LlamaVocab vocab() { return vocabModel.vocab(); }

    @Override
    public String formatChat(List<ChatMessage> messages, boolean addAssistantTurn) {
        String template = vocabModel.chatTemplate().orElse(ChatTemplates.FALLBACK);
        try {
            return ChatTemplates.apply(template, messages, addAssistantTurn);
        } catch (IllegalArgumentException unsupported) {
            return ChatTemplates.apply(ChatTemplates.FALLBACK, messages, addAssistantTurn);
        }
    }

    /**
     * The run settings the options imply: context, chunk (256 on the CPU and over other computers, 512 with layers on this computer's GPU), threads, the KV
     * precision asked for (F16 when the model cannot use it, see {@link #notice()}), and the
     * attention asked for, or dense for models sparse attention cannot run (see {@link #notice()}).
     */
    public RunSettings defaultSettings() {
        int chunk = options.chunkTokens() > 0 ? options.chunkTokens()
                : placement.anyOnGpu() ? DEFAULT_GPU_CHUNK : DEFAULT_CPU_CHUNK;   // a worker's layers: the CPU's chunk
        SparseAttentionSettings attention = denseNotice().isPresent() ? options.attention().withMode(AttentionMode.DENSE)
                : options.attention();                           // dense for sliding windows and soft-capping
        return new RunSettings(LlamaInferenceModel.contextTokens(info, options), chunk, options.effectiveThreads(),
                kvPrecision().ggmlType(), DEFAULT_WINDOWS, attention);
    }

    @Override
    public GenerationSession openSession() {
        return new CanopyGenerationSession(this, defaultSettings());
    }

    @Override
    public int contextTokens() {
        return defaultSettings().contextTokens();
    }

    /** This model as a draft: a drafter over a sequence of its own, dense, with {@link #defaultSettings()}. */
    @Override
    public Optional<dev.canopy.engine.speculative.DraftSource> draftSource() {
        return Optional.of(() -> new SequenceDrafter(openSequence(defaultSettings().withAttention(SparseAttentionSettings.dense()))));
    }

    /**
     * Embeddings through libllama: Canopy's graph has no pooling, so each embedder loads this file
     * through libllama on the CPU (memory-mapped) the first time it is opened (decision 0165).
     */
    @Override
    public Optional<dev.canopy.engine.embed.Embeddings> embeddings() {
        return LlamaEmbeddings.loading(info.file(), vocabModel, contextTokens(), defaultSettings().threads());
    }

    /** Sessions over the tiered KV store, with {@link #defaultSettings()}. */
    @Override
    public Optional<TieredKv> tieredKv() {
        return Optional.of(offload -> openSession(defaultSettings(), offload));
    }

    /**
     * Slots of the default settings' context side by side in one cache, on backends of their own;
     * empty with sparse attention, whose selection reads one sequence's cells from cell 0.
     */
    @Override
    public Optional<SequencePool> sequencePool(int slots) {
        RunSettings settings = defaultSettings();
        if (slots < 1) throw new IllegalArgumentException("a pool of " + slots + " slots");
        if (settings.attention().mode().isSparse()) return Optional.empty();
        ComputeBackends backends = ComputeBackends.open(weights.split(), settings.threads());
        CanopySlotKv kv = CanopySlotKv.open(this, settings, backends, backends, slots, RunSettings.paddedCells(settings.contextTokens()));
        return Optional.of(new StepLoop(kv, tokenizer, vocab(), StepLoop.PrefillPace.ONE_PASS_PER_STEP, settings.contextTokens()));
    }

    /** A session with explicit run settings. */
    public GenerationSession openSession(RunSettings settings) {
        return new CanopyGenerationSession(this, settings);
    }

    /** A bare token-level sequence (benchmarks, tests): prefill and decode without text. */
    public SequenceEngine openSequence(RunSettings settings) {
        return new SequenceEngine(hp, weights, settings);
    }

    /** A session whose KV lives in the tiered store ({@code --kv-gpu-mb/--kv-ram-mb/--kv-dir}); dense when {@code offload} is null. */
    public GenerationSession openSession(RunSettings settings, dev.canopy.engine.kv.KvOffload offload) {
        return new CanopyGenerationSession(this, settings, offload);
    }

    /** A token-level sequence whose KV lives in the tiered store; dense when {@code offload} is null. */
    public SequenceEngine openSequence(RunSettings settings, dev.canopy.engine.kv.KvOffload offload) {
        return offload == null ? openSequence(settings) : new SequenceEngine(hp, weights, settings, info.file(), offload);
    }

    @Override
    public void close() {
        vocabModel.close();
        weights.close();
    }
}
