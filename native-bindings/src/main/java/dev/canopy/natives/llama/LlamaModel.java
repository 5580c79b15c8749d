package dev.canopy.natives.llama;

import dev.canopy.natives.NativeLog;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ffi.llama_model_params;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A model loaded by libllama. Owns the native {@code llama_model}; close it to free the weights. */
public final class LlamaModel implements AutoCloseable {
    private final Path file;
    private MemorySegment model; // owned: llama_model*, freed in close()
    private final LlamaVocab vocab;
    private final boolean cpuOnly;

    private LlamaModel(Path file, MemorySegment model, boolean cpuOnly) {
        this.file = file;
        this.model = model;
        this.cpuOnly = cpuOnly;
        this.vocab = new LlamaVocab(llama_h.llama_model_get_vocab(model), this);
    }

    /** Loads {@code file}; throws {@link ModelLoadException} with llama.cpp's reason when it cannot. */
    public static LlamaModel load(Path file, ModelParams params) {
        NativeRuntime.get();
        GgufPrecheck.check(file);
        NativeLog.drain();
        MemorySegment m;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = llama_h.llama_model_default_params(arena);
            llama_model_params.n_gpu_layers(p, params.gpuLayers());
            // CPU only: no pinned host buffers ahead of the CPU's repacked layouts (llama.cpp would put
            // the weights in a GPU's host memory, for the op offload that cpuOnly() turns off)
            llama_model_params.no_host(p, params.cpuOnly());
            llama_model_params.vocab_only(p, params.vocabOnly());
            llama_model_params.load_mode(p, params.mmap() ? llama_h.LLAMA_LOAD_MODE_MMAP() : llama_h.LLAMA_LOAD_MODE_NONE());
            if (params.split() != null) setSplit(arena, p, params.split());
            m = llama_h.llama_model_load_from_file(arena.allocateFrom(file.toAbsolutePath().toString()), p);
        }
        if (m.equals(MemorySegment.NULL)) {
            throw new ModelLoadException("llama.cpp could not load " + file.getFileName()
                    + ": the file is damaged, truncated, or uses an unsupported architecture or format"
                    + NativeLog.drainAsSuffix());
        }
        return new LlamaModel(file, m, params.cpuOnly());
    }

    /** The devices (a NULL-terminated array) and their shares (llama_max_devices floats), alive during the load. */
    private static void setSplit(Arena arena, MemorySegment p, DeviceSplit split) {
        int n = split.devices().size();
        int max = (int) llama_h.llama_max_devices();
        if (n > max) throw new ModelLoadException("llama.cpp places layers on at most " + max + " devices, not " + n);
        MemorySegment devices = arena.allocate(ValueLayout.ADDRESS, n + 1);
        MemorySegment shares = arena.allocate(ValueLayout.JAVA_FLOAT, max);
        for (int i = 0; i < n; i++) {
            devices.setAtIndex(ValueLayout.ADDRESS, i, split.devices().get(i));
            shares.setAtIndex(ValueLayout.JAVA_FLOAT, i, split.weights().get(i).floatValue());
        }
        devices.setAtIndex(ValueLayout.ADDRESS, n, MemorySegment.NULL);
        llama_model_params.devices(p, devices);
        llama_model_params.tensor_split(p, shares);
        llama_model_params.split_mode(p, llama_h.LLAMA_SPLIT_MODE_LAYER());
    }

    /** The native pointer, for wrappers in this package and the engine's fallback path. Borrowed. */
    public MemorySegment handle() {
        if (model == null) throw new IllegalStateException("model is closed");
        return model;
    }

    public Path file() { return file; }

    /**
     * Loaded with no GPU layers: its contexts then keep every op on the CPU too (llama.cpp would
     * otherwise send large matrix products to a GPU it finds, "op offload").
     */
    public boolean cpuOnly() { return cpuOnly; }
    public LlamaVocab vocab() { return vocab; }
    public int layers() { return llama_h.llama_model_n_layer(handle()); }
    public int embedding() { return llama_h.llama_model_n_embd(handle()); }
    /** Length of the model's output embeddings (a pooled sequence embedding): {@link #embedding()} unless the model projects it. */
    public int embeddingOutput() { return llama_h.llama_model_n_embd_out(handle()); }
    public int heads() { return llama_h.llama_model_n_head(handle()); }
    public int kvHeads() { return llama_h.llama_model_n_head_kv(handle()); }
    public int trainContext() { return llama_h.llama_model_n_ctx_train(handle()); }
    public long parameters() { return llama_h.llama_model_n_params(handle()); }
    public long sizeBytes() { return llama_h.llama_model_size(handle()); }

    /** llama.cpp's one-line description, e.g. "llama 1B F16". */
    public String description() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            llama_h.llama_model_desc(handle(), buf, 256);
            return buf.getString(0);
        }
    }

    /** One metadata value, e.g. {@code general.architecture}. */
    public Optional<String> meta(String key) {
        try (Arena arena = Arena.ofConfined()) {
            int n = llama_h.llama_model_meta_val_str(handle(), arena.allocateFrom(key), MemorySegment.NULL, 0);
            if (n < 0) return Optional.empty();
            MemorySegment buf = arena.allocate(n + 1L);
            llama_h.llama_model_meta_val_str(handle(), arena.allocateFrom(key), buf, n + 1L);
            return Optional.of(buf.getString(0));
        }
    }

    /**
     * The pooling the file declares ({@code <arch>.pooling_type}, written for embedding and reranking
     * models), or empty when it declares none or a value libllama does not know.
     */
    public Optional<Pooling> declaredPooling() {
        String arch = meta("general.architecture").orElse("");
        return meta(arch + ".pooling_type").flatMap(v -> {
            try {
                return Pooling.ofCode(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** Every metadata pair (arrays are summarised by llama.cpp). */
    public Map<String, String> metadata() {
        Map<String, String> out = new LinkedHashMap<>();
        int count = llama_h.llama_model_meta_count(handle());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(512);
            for (int i = 0; i < count; i++) {
                llama_h.llama_model_meta_key_by_index(handle(), i, key, 512);
                int n = llama_h.llama_model_meta_val_str_by_index(handle(), i, MemorySegment.NULL, 0);
                MemorySegment val = arena.allocate(Math.max(n, 0) + 1L);
                llama_h.llama_model_meta_val_str_by_index(handle(), i, val, Math.max(n, 0) + 1L);
                out.put(key.getString(0), val.getString(0));
            }
        }
        return out;
    }

    /** The model's own chat template (Jinja source), when the file has one. */
    public Optional<String> chatTemplate() {
        MemorySegment t = llama_h.llama_model_chat_template(handle(), MemorySegment.NULL);
        String s = NativeRuntime.cString(t);
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    @Override
    public void close() {
        if (model != null) {
            llama_h.llama_model_free(model);
            model = null;
        }
    }
}
