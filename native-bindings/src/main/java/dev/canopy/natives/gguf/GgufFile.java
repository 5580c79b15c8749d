package dev.canopy.natives.gguf;

import dev.canopy.natives.NativeLog;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.gguf_init_params;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.llama.GgufPrecheck;
import dev.canopy.natives.llama.ModelLoadException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata and tensor directory of a GGUF file, read with ggml's gguf API without loading
 * tensor data. Owns the native {@code gguf_context}. Validates that every tensor lies inside the
 * file, so a truncated download is reported before any weights are touched.
 */
public final class GgufFile implements AutoCloseable {
    /** One tensor's directory entry. {@code offset} is absolute in the file. */
    public record TensorInfo(String name, int type, long[] shape, long offset, long bytes) {
        public String typeName() { return GgmlType.nameOf(type); }
        public long elements() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    private final Path path;
    private MemorySegment ctx; // owned: gguf_context*, freed in close()
    private final List<TensorInfo> tensors;

    private GgufFile(Path path, MemorySegment ctx, List<TensorInfo> tensors) {
        this.path = path;
        this.ctx = ctx;
        this.tensors = tensors;
    }

    /** Opens {@code file}; throws {@link ModelLoadException} naming the problem when it is not a usable GGUF. */
    public static GgufFile open(Path file) {
        NativeRuntime.get();
        GgufPrecheck.check(file);
        NativeLog.drain();
        MemorySegment c;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = gguf_init_params.allocate(arena);
            gguf_init_params.no_alloc(params, true);
            gguf_init_params.ctx(params, MemorySegment.NULL);
            c = llama_h.gguf_init_from_file(arena.allocateFrom(file.toAbsolutePath().toString()), params);
        }
        if (c.equals(MemorySegment.NULL)) {
            throw new ModelLoadException("Damaged or unsupported GGUF file " + file.getFileName() + NativeLog.drainAsSuffix());
        }
        long fileSize;
        try {
            fileSize = Files.size(file);
        } catch (IOException e) {
            llama_h.gguf_free(c);
            throw new ModelLoadException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        long dataStart = llama_h.gguf_get_data_offset(c);
        List<TensorInfo> infos = new ArrayList<>();
        long n = llama_h.gguf_get_n_tensors(c);
        for (long i = 0; i < n; i++) {
            String name = NativeRuntime.cString(llama_h.gguf_get_tensor_name(c, i));
            MemorySegment ne = llama_h.gguf_get_tensor_ne(c, i).reinterpret(4 * 8);
            long[] shape = ne.toArray(ValueLayout.JAVA_LONG);
            int dims = 4;
            while (dims > 1 && shape[dims - 1] == 1) dims--;
            long offset = dataStart + llama_h.gguf_get_tensor_offset(c, i);
            long bytes = llama_h.gguf_get_tensor_size(c, i);
            if (offset + bytes > fileSize) {
                llama_h.gguf_free(c);
                throw new ModelLoadException("GGUF file " + file.getFileName() + " is truncated or damaged: tensor '" + name
                        + "' needs bytes up to " + (offset + bytes) + " but the file has " + fileSize
                        + " (an interrupted download?)");
            }
            infos.add(new TensorInfo(name, llama_h.gguf_get_tensor_type(c, i), java.util.Arrays.copyOf(shape, dims), offset, bytes));
        }
        return new GgufFile(file, c, List.copyOf(infos));
    }

    public Path path() { return path; }
    public List<TensorInfo> tensors() { return tensors; }

    public Optional<TensorInfo> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Every key with its value: String, Long, Double, Boolean, or List for arrays (long arrays summarised by size). */
    public Map<String, Object> metadata() {
        Map<String, Object> out = new LinkedHashMap<>();
        long n = llama_h.gguf_get_n_kv(handle());
        for (long i = 0; i < n; i++) {
            out.put(NativeRuntime.cString(llama_h.gguf_get_key(handle(), i)), value(i, 64));
        }
        return out;
    }

    public Optional<Object> get(String key) {
        try (Arena arena = Arena.ofConfined()) {
            long id = llama_h.gguf_find_key(handle(), arena.allocateFrom(key));
            return id < 0 ? Optional.empty() : Optional.of(value(id, Integer.MAX_VALUE));
        }
    }

    public Optional<String> getString(String key) {
        return get(key).map(Object::toString);
    }

    public Optional<Long> getLong(String key) {
        return get(key).filter(Number.class::isInstance).map(v -> ((Number) v).longValue());
    }

    public Optional<Double> getDouble(String key) {
        return get(key).filter(Number.class::isInstance).map(v -> ((Number) v).doubleValue());
    }

    private Object value(long id, int maxArray) {
        MemorySegment c = handle();
        int t = llama_h.gguf_get_kv_type(c, id);
        if (t == llama_h.GGUF_TYPE_STRING()) return NativeRuntime.cString(llama_h.gguf_get_val_str(c, id));
        if (t == llama_h.GGUF_TYPE_BOOL()) return llama_h.gguf_get_val_bool(c, id);
        if (t == llama_h.GGUF_TYPE_FLOAT32()) return (double) llama_h.gguf_get_val_f32(c, id);
        if (t == llama_h.GGUF_TYPE_FLOAT64()) return llama_h.gguf_get_val_f64(c, id);
        if (t == llama_h.GGUF_TYPE_UINT8()) return (long) Byte.toUnsignedInt(llama_h.gguf_get_val_u8(c, id));
        if (t == llama_h.GGUF_TYPE_INT8()) return (long) llama_h.gguf_get_val_i8(c, id);
        if (t == llama_h.GGUF_TYPE_UINT16()) return (long) Short.toUnsignedInt(llama_h.gguf_get_val_u16(c, id));
        if (t == llama_h.GGUF_TYPE_INT16()) return (long) llama_h.gguf_get_val_i16(c, id);
        if (t == llama_h.GGUF_TYPE_UINT32()) return Integer.toUnsignedLong(llama_h.gguf_get_val_u32(c, id));
        if (t == llama_h.GGUF_TYPE_INT32()) return (long) llama_h.gguf_get_val_i32(c, id);
        if (t == llama_h.GGUF_TYPE_UINT64()) return llama_h.gguf_get_val_u64(c, id);
        if (t == llama_h.GGUF_TYPE_INT64()) return llama_h.gguf_get_val_i64(c, id);
        if (t == llama_h.GGUF_TYPE_ARRAY()) return array(id, maxArray);
        return "<type " + t + ">";
    }

    private Object array(long id, int maxArray) {
        MemorySegment c = handle();
        long n = llama_h.gguf_get_arr_n(c, id);
        int et = llama_h.gguf_get_arr_type(c, id);
        if (n > maxArray) return "[" + n + " items]";
        List<Object> out = new ArrayList<>();
        if (et == llama_h.GGUF_TYPE_STRING()) {
            for (long i = 0; i < n; i++) out.add(NativeRuntime.cString(llama_h.gguf_get_arr_str(c, id, i)));
        } else if (et == llama_h.GGUF_TYPE_FLOAT32()) {
            MemorySegment d = llama_h.gguf_get_arr_data(c, id).reinterpret(n * 4);
            for (long i = 0; i < n; i++) out.add((double) d.getAtIndex(ValueLayout.JAVA_FLOAT, i));
        } else if (et == llama_h.GGUF_TYPE_INT32() || et == llama_h.GGUF_TYPE_UINT32()) {
            MemorySegment d = llama_h.gguf_get_arr_data(c, id).reinterpret(n * 4);
            for (long i = 0; i < n; i++) out.add((long) d.getAtIndex(ValueLayout.JAVA_INT, i));
        } else {
            return "[" + n + " items]";
        }
        return out;
    }

    /** The native context. Borrowed (owned by this object). */
    public MemorySegment handle() {
        if (ctx == null) throw new IllegalStateException("GGUF file is closed");
        return ctx;
    }

    @Override
    public void close() {
        if (ctx != null) {
            llama_h.gguf_free(ctx);
            ctx = null;
        }
    }
}
