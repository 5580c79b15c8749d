package dev.canopy.natives.ggml;

import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.ggml_tensor;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** Reads and names {@code ggml_tensor} headers returned by the bindings (as zero-length pointers). */
public final class Tensors {
    private static final long SIZE = ggml_tensor.layout().byteSize();
    private static final int NAME_MAX = 63;

    private Tensors() {}

    /** The tensor header as a sized segment. Borrowed (owned by its ggml context). */
    public static MemorySegment header(MemorySegment tensor) {
        return tensor.reinterpret(SIZE);
    }

    public static long ne(MemorySegment tensor, int dim) {
        return ggml_tensor.ne(header(tensor), dim);
    }

    public static long nb(MemorySegment tensor, int dim) {
        return ggml_tensor.nb(header(tensor), dim);
    }

    public static int type(MemorySegment tensor) {
        return ggml_tensor.type(header(tensor));
    }

    public static long[] shape(MemorySegment tensor) {
        MemorySegment h = header(tensor);
        return new long[] {ggml_tensor.ne(h, 0), ggml_tensor.ne(h, 1), ggml_tensor.ne(h, 2), ggml_tensor.ne(h, 3)};
    }

    /** Names the tensor in place (ggml keeps 63 bytes) and returns it, for graph dumps and debugging. */
    public static MemorySegment named(MemorySegment tensor, String name) {
        MemorySegment field = ggml_tensor.name(header(tensor));
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, NAME_MAX);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, field, 0, n);
        field.set(java.lang.foreign.ValueLayout.JAVA_BYTE, n, (byte) 0);
        return tensor;
    }

    public static String name(MemorySegment tensor) {
        return ggml_tensor.name(header(tensor)).getString(0);
    }

    /** The tensor's data pointer (host address for CPU buffers). */
    public static MemorySegment data(MemorySegment tensor) {
        return ggml_tensor.data(header(tensor));
    }

    /**
     * Whether the tensor has memory: an allocator gives none to a graph input that no node of the
     * graph reads, and writing to it would write through a null pointer.
     */
    public static boolean isAllocated(MemorySegment tensor) {
        return !ggml_tensor.buffer(header(tensor)).equals(MemorySegment.NULL);
    }

    /** The first {@code bytes} of a tensor's data in host memory (CPU buffers only). Borrowed. */
    public static MemorySegment hostData(MemorySegment tensor, long bytes) {
        MemorySegment data = data(tensor);
        if (data.equals(MemorySegment.NULL)) throw new IllegalStateException("tensor " + name(tensor) + " has no memory");
        return data.reinterpret(bytes);
    }

    /** ggml's name for a type id, e.g. f16, q4_K. */
    public static String typeName(int type) {
        return NativeRuntime.cString(dev.canopy.natives.ffi.llama_h.ggml_type_name(type));
    }
}
