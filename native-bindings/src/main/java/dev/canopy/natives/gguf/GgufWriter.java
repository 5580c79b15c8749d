package dev.canopy.natives.gguf;

import dev.canopy.natives.NativeLog;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.ggml_init_params;
import dev.canopy.natives.ffi.llama_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a GGUF file through ggml's gguf API: metadata, then tensors converted from F32 to the
 * requested type (F32, F16 or Q8_0 through ggml's own quantizer). Owns the native gguf context
 * and one ggml context per tensor (the tensor data must live until {@link #write}).
 */
public final class GgufWriter implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();        // owns key strings
    private MemorySegment gguf;                             // owned: gguf_context*
    private final List<MemorySegment> tensorCtxs = new ArrayList<>(); // owned: ggml_context* per tensor

    public GgufWriter() {
        NativeRuntime.get();
        gguf = llama_h.gguf_init_empty();
    }

    /** Copies the keys of {@code source} whose name starts with {@code prefix} (e.g. "tokenizer."). */
    public GgufWriter copyKeys(GgufFile source, String prefix) {
        llama_h.gguf_set_kv(gguf, source.handle());
        long n = llama_h.gguf_get_n_kv(gguf);
        List<String> drop = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            String k = NativeRuntime.cString(llama_h.gguf_get_key(gguf, i));
            if (!k.startsWith(prefix)) drop.add(k);
        }
        for (String k : drop) llama_h.gguf_remove_key(gguf, arena.allocateFrom(k));
        return this;
    }

    public GgufWriter put(String key, String value) {
        llama_h.gguf_set_val_str(gguf, arena.allocateFrom(key), arena.allocateFrom(value));
        return this;
    }

    public GgufWriter putU32(String key, int value) {
        llama_h.gguf_set_val_u32(gguf, arena.allocateFrom(key), value);
        return this;
    }

    public GgufWriter putF32(String key, float value) {
        llama_h.gguf_set_val_f32(gguf, arena.allocateFrom(key), value);
        return this;
    }

    public GgufWriter putBool(String key, boolean value) {
        llama_h.gguf_set_val_bool(gguf, arena.allocateFrom(key), value);
        return this;
    }

    /**
     * Adds a tensor. {@code shape} is in ggml order (ne0 first: the row length); {@code data} holds
     * the F32 values row by row and is converted to {@code type}.
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, float[] data) {
        long elements = 1;
        for (long d : shape) elements *= d;
        if (elements != data.length) throw new IllegalArgumentException(name + ": shape holds " + elements + " values, data " + data.length);
        if (type == GgmlType.Q8_0 && shape[0] % 32 != 0) throw new IllegalArgumentException(name + ": Q8_0 rows must be a multiple of 32");
        long bytes = llama_h.ggml_row_size(type.id(), shape[0]) * (elements / shape[0]);
        MemorySegment params = ggml_init_params.allocate(arena);
        ggml_init_params.mem_size(params, llama_h.ggml_tensor_overhead() + bytes + 64);
        ggml_init_params.mem_buffer(params, MemorySegment.NULL);
        ggml_init_params.no_alloc(params, false);
        MemorySegment ctx = llama_h.ggml_init(params);
        if (ctx.equals(MemorySegment.NULL)) throw new OutOfMemoryError("ggml_init failed for tensor " + name);
        tensorCtxs.add(ctx);
        MemorySegment t = switch (shape.length) {
            case 1 -> llama_h.ggml_new_tensor_1d(ctx, type.id(), shape[0]);
            case 2 -> llama_h.ggml_new_tensor_2d(ctx, type.id(), shape[0], shape[1]);
            case 3 -> llama_h.ggml_new_tensor_3d(ctx, type.id(), shape[0], shape[1], shape[2]);
            default -> throw new IllegalArgumentException(name + ": 1 to 3 dimensions");
        };
        llama_h.ggml_set_name(t, arena.allocateFrom(name));
        MemorySegment dst = llama_h.ggml_get_data(t).reinterpret(bytes);
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment src = tmp.allocateFrom(ValueLayout.JAVA_FLOAT, data);
            switch (type) {
                case F32 -> MemorySegment.copy(src, 0, dst, 0, bytes);
                case F16 -> llama_h.ggml_fp32_to_fp16_row(src, dst, elements);
                case Q8_0 -> llama_h.ggml_quantize_chunk(type.id(), src, dst, 0, elements / shape[0], shape[0], MemorySegment.NULL);
            }
        }
        llama_h.gguf_add_tensor(gguf, t);
        return this;
    }

    /** Writes the file atomically (to a temporary sibling, then renamed). */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
        NativeLog.drain();
        boolean ok = llama_h.gguf_write_to_file(gguf, arena.allocateFrom(tmp.toString()), false);
        if (!ok) {
            Files.deleteIfExists(tmp);
            throw new IOException("could not write GGUF " + file + NativeLog.drainAsSuffix());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        for (MemorySegment c : tensorCtxs) llama_h.ggml_free(c);
        tensorCtxs.clear();
        if (gguf != null) {
            llama_h.gguf_free(gguf);
            gguf = null;
        }
        arena.close();
    }
}
