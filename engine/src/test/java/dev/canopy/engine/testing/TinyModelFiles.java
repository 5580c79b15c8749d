package dev.canopy.engine.testing;

import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ffi.llama_model_quantize_params;
import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tiny random-weight GGUFs written once per test JVM (2 or 3 layers, 64 wide) and shared by the
 * tests: llama, qwen2, qwen3 from {@link TinyModels}, phi3, gemma2, gemma3 from {@link TinyArchModels}.
 */
public final class TinyModelFiles {
    private static final Map<String, Path> FILES = new ConcurrentHashMap<>();
    private static Path dir;

    private TinyModelFiles() {}

    public static Path get(String arch, GgmlType type) {
        return FILES.computeIfAbsent(arch + "-" + type, k -> {
            try {
                Path file = directory().resolve(k + ".gguf");
                if (TinyArchModels.ARCHITECTURES.contains(arch)) return TinyArchModels.write(arch, type, file);
                return TinyModels.write(TinyModelSpec.tiny(arch).withType(type), file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * A tiny llama whose heads are 32 wide (128 wide, 4 query and 2 KV heads): the smallest shape
     * a quantized KV (Q8_0, Q4_0: blocks of 32 values) can hold; the other tiny models' heads are 16.
     */
    public static Path llamaWithHeadDim32() {
        return FILES.computeIfAbsent("llama-F32-hd32", k -> {
            try {
                return TinyModels.write(TinyModelSpec.tiny("llama").withShape(128, 2, 4, 2, 256).withType(GgmlType.F32),
                        directory().resolve(k + ".gguf"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The F32 tiny gemma model of {@code arch} with a sliding window of {@code window} tokens. */
    public static Path withWindow(String arch, int window) {
        return FILES.computeIfAbsent(arch + "-F32-window" + window, k -> {
            try {
                return TinyArchModels.write(arch, GgmlType.F32, window, directory().resolve(k + ".gguf"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The F32 tiny gemma3 model in which every layer slides (sliding_window_pattern 0). */
    public static Path gemma3EveryLayerSliding() {
        return FILES.computeIfAbsent("gemma3-F32-all-sliding", k -> {
            try {
                return TinyArchModels.write("gemma3", GgmlType.F32, TinyArchModels.SLIDING_WINDOW, 0, directory().resolve(k + ".gguf"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The F16 tiny model of {@code arch} quantized by libllama's own quantizer to {@code ftype}
     * (a LLAMA_FTYPE_* value, e.g. Q4_0), for types the gguf writer cannot produce.
     */
    public static Path quantized(String arch, int ftype, String label) {
        Path f16 = get(arch, GgmlType.F16);
        return FILES.computeIfAbsent(arch + "-" + label, k -> {
            try {
                dev.canopy.natives.NativeRuntime.get(); // loads libllama before its symbols are looked up
                Path out = directory().resolve(k + ".gguf");
                try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                    java.lang.foreign.MemorySegment p = llama_h.llama_model_quantize_default_params(arena);
                    llama_model_quantize_params.ftype(p, ftype);
                    llama_model_quantize_params.nthread(p, 1);
                    int rc = llama_h.llama_model_quantize(arena.allocateFrom(f16.toString()),
                            arena.allocateFrom(out.toString()), p);
                    if (rc != 0) throw new IllegalStateException("llama_model_quantize failed: " + rc);
                }
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static synchronized Path directory() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("canopy-engine-test");
            Path d = dir;   // deleteOnExit skips non-empty folders: remove the model files too
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var files = Files.walk(d)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // best effort: a temp folder left behind is harmless
                }
            }));
        }
        return dir;
    }

    /** Same prompt token ids for every test: a deterministic pseudo-random walk over the vocabulary. */
    public static int[] promptTokens(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        int[] out = new int[n];
        out[0] = 1; // BOS
        for (int i = 1; i < n; i++) out[i] = 3 + r.nextInt(31990);
        return out;
    }
}
