package dev.canopy.engine.llama;

import dev.canopy.engine.DefaultGpu;
import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.KvPrecision;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.SequencePool;
import dev.canopy.engine.batch.StepLoop;
import dev.canopy.engine.ModelInfo;
import dev.canopy.engine.Tokenizer;
import dev.canopy.engine.WorkerPlacement;
import dev.canopy.natives.llama.ChatMessage;
import dev.canopy.natives.llama.ChatTemplates;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.ModelParams;

import java.util.List;
import java.util.Optional;

/** A model run by libllama's llama_decode: the reference engine and the fallback for other architectures. */
public final class LlamaInferenceModel implements InferenceModel {
    private final LlamaModel model; // owned
    private final ModelInfo info;
    private final EngineOptions options;
    private final LlamaTokenizer tokenizer;
    private final Optional<String> notice;
    private final Optional<WorkerPlacement> workers;
    private final WorkerWatch watch;

    private LlamaInferenceModel(LlamaModel model, ModelInfo info, EngineOptions options, Optional<String> notice,
                                Optional<WorkerPlacement> workers, WorkerWatch watch) {
        this.model = model;
        this.info = info;
        this.options = options;
        this.tokenizer = new LlamaTokenizer(model.vocab());
        this.notice = notice;
        this.workers = workers;
        this.watch = watch;
    }

    /**
     * Loads with libllama. With workers in the options, each is checked and connected first (a worker
     * that is down, refuses or speaks another protocol throws {@link dev.canopy.natives.rpc.RpcWorkerException}
     * naming it), and the offloaded layers are split over their devices and this computer's GPU.
     */
    public static LlamaInferenceModel load(ModelInfo info, EngineOptions options, Optional<String> notice) {
        ModelParams params = ModelParams.cpu().withGpuLayers(options.gpuLayers());
        Optional<WorkerPlacement> workers = Optional.empty();
        WorkerWatch watch = WorkerWatch.NONE;
        if (!options.workers().isEmpty()) {
            WorkerPlacement placement = WorkerPlacement.connect(options.workers(), options.shares(), info.layers(), options.gpuLayers(), DefaultGpu.ofThisMachine());
            params = params.withSplit(placement.split());
            workers = Optional.of(placement);
            watch = new WorkerWatch(dev.canopy.natives.rpc.RpcBackend.require(), options.workers());
        }
        LlamaModel m = LlamaModel.load(info.file(), params);
        return new LlamaInferenceModel(m, info, options, notice, workers, watch);
    }

    /** Where the layers go over other computers, when workers lend their devices. */
    public Optional<WorkerPlacement> workerPlacement() { return workers; }

    @Override public ModelInfo info() { return info; }
    @Override public EngineKind engine() { return EngineKind.LLAMA; }
    /** The engine's notice (why this model runs on llama.cpp), and the KV precision's fallback when the model cannot use it. */
    @Override public Optional<String> notice() {
        Optional<String> kv = options.kvPrecision().fallbackNotice(headDim());
        if (kv.isEmpty()) return notice;
        return Optional.of(notice.map(n -> n + " " + kv.get()).orElse(kv.get()));
    }

    /** The KV precision llama.cpp's cache keeps: the one asked for, or F16 when this model's head size cannot use it. */
    public KvPrecision kvPrecision() {
        return options.kvPrecision().forHeadDim(headDim());
    }

    /** A size that divides both the key and the value head size (a quantized block must fit both). */
    private int headDim() {
        String arch = model.meta("general.architecture").orElse("");
        int fallback = model.heads() > 0 ? model.embedding() / model.heads() : 0;
        int k = model.meta(arch + ".attention.key_length").map(Integer::parseInt).orElse(fallback);
        int v = model.meta(arch + ".attention.value_length").map(Integer::parseInt).orElse(fallback);
        return java.math.BigInteger.valueOf(k).gcd(java.math.BigInteger.valueOf(v)).intValue();
    }

    /** llama.cpp places the layers itself (over every GPU ggml lists); this names the one Canopy would take. */
    @Override public String runsOn() {
        if (workers.isPresent()) return workers.get().describe() + ", placed by llama.cpp";
        if (options.gpuLayers() == 0) return "CPU";
        return DefaultGpu.ofThisMachine().map(g -> "GPU " + DefaultGpu.label(g) + ": "
                + (options.gpuLayers() < 0 ? "as many layers as fit" : options.gpuLayers() + " layers") + ", placed by llama.cpp")
                .orElse("CPU");
    }
    @Override public Tokenizer tokenizer() { return tokenizer; }

    /** The libllama model. Borrowed. */
    public LlamaModel llamaModel() { return model; }

    @Override
    public String formatChat(List<ChatMessage> messages, boolean addAssistantTurn) {
        String template = model.chatTemplate().orElse(ChatTemplates.FALLBACK);
        try {
            return ChatTemplates.apply(template, messages, addAssistantTurn);
        } catch (IllegalArgumentException unsupported) {
            return ChatTemplates.apply(ChatTemplates.FALLBACK, messages, addAssistantTurn);
        }
    }

    @Override
    public GenerationSession openSession() {
        int chunk = options.chunkTokens() > 0 ? options.chunkTokens() : 256;
        return new LlamaGenerationSession(model, tokenizer, contextTokens(info, options), chunk, options.effectiveThreads(),
                kvPrecision().ggmlType(), watch);
    }

    @Override
    public int contextTokens() {
        return contextTokens(info, options);
    }

    /** Embeddings over this model's weights (borrowed), in a context of their own. */
    @Override
    public Optional<dev.canopy.engine.embed.Embeddings> embeddings() {
        return LlamaEmbeddings.over(model, contextTokens(), options.effectiveThreads());
    }

    /** Sequence ids of one libllama context, each of this model's context size (rounded up to 256 cells). */
    @Override
    public Optional<SequencePool> sequencePool(int slots) {
        if (slots < 1) throw new IllegalArgumentException("a pool of " + slots + " slots");
        int chunk = options.chunkTokens() > 0 ? options.chunkTokens() : 256;
        int context = contextTokens();
        LlamaSlotKv kv = new LlamaSlotKv(model, slots, (context + 255) / 256 * 256, chunk, options.effectiveThreads(),
                kvPrecision().ggmlType(), watch);
        return Optional.of(new StepLoop(kv, tokenizer, model.vocab(), StepLoop.PrefillPace.ONE_PASS_PER_STEP, context));
    }

    /** The session context size: the option, else min(training context, 8192). */
    public static int contextTokens(ModelInfo info, EngineOptions options) {
        if (options.contextTokens() > 0) return options.contextTokens();
        int train = info.contextLength() > 0 ? info.contextLength() : 4096;
        return Math.min(train, 8192);
    }

    @Override
    public void close() {
        model.close();
    }
}
