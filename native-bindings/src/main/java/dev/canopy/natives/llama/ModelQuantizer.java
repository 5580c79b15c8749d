package dev.canopy.natives.llama;

import dev.canopy.natives.NativeLog;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ffi.llama_model_quantize_params;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * libllama's quantizer ({@code llama_model_quantize}, what llama-quantize runs): rewrites a GGUF
 * model with its matrices in another type, choosing per tensor as llama.cpp does (so a Q4_K_M file
 * made here is the file llama-quantize would make from the same input). Matrices whose rows are
 * not a multiple of a K-quant's 256-value block get llama.cpp's fallback type.
 */
public final class ModelQuantizer {
    private ModelQuantizer() {}

    /**
     * Writes {@code in} quantized to {@code type} into {@code out}.
     *
     * @param threads CPU threads (0: libllama's choice, the hardware's)
     * @throws ModelLoadException when libllama cannot read {@code in} or write {@code out}
     */
    public static void quantize(Path in, Path out, QuantType type, int threads) {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        NativeRuntime.get();
        NativeLog.drain();
        int rc;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = llama_h.llama_model_quantize_default_params(arena);
            llama_model_quantize_params.ftype(p, type.fileType());
            llama_model_quantize_params.nthread(p, threads);
            rc = llama_h.llama_model_quantize(arena.allocateFrom(in.toAbsolutePath().toString()),
                    arena.allocateFrom(out.toAbsolutePath().toString()), p);
        }
        if (rc != 0) {
            throw new ModelLoadException("llama.cpp could not quantize " + in.getFileName() + " to " + type
                    + " (error " + rc + ")" + NativeLog.drainAsSuffix());
        }
    }
}
