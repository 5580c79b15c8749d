package dev.canopy.kv.tier;

import dev.canopy.natives.ffi.ggml_tensor;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.GgmlContext;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.MemorySegment;

/** Byte-range copies between ggml tensors in any backend buffers, and between tensors and host memory. */
public final class TensorCopy {
    private TensorCopy() {}

    public static boolean isHost(MemorySegment tensor) {
        return llama_h.ggml_backend_buffer_is_host(ggml_tensor.buffer(Tensors.header(tensor)));
    }

    /** The tensor's data as host memory (only for tensors in host buffers). Borrowed. */
    @SuppressWarnings("restricted") // sized from ggml_nbytes of the same tensor
    public static MemorySegment hostData(MemorySegment tensor) {
        return Tensors.data(tensor).reinterpret(llama_h.ggml_nbytes(tensor));
    }

    /** Copies {@code bytes} from {@code src[srcOff..]} to {@code dst[dstOff..]} (same element type). */
    public static void copy(MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long bytes) {
        boolean srcHost = isHost(src);
        boolean dstHost = isHost(dst);
        if (srcHost && dstHost) {
            MemorySegment.copy(hostData(src), srcOff, hostData(dst), dstOff, bytes);
        } else if (srcHost) {
            llama_h.ggml_backend_tensor_set(dst, hostData(src).asSlice(srcOff, bytes), dstOff, bytes);
        } else if (dstHost) {
            llama_h.ggml_backend_tensor_get(src, hostData(dst).asSlice(dstOff, bytes), srcOff, bytes);
        } else {
            copyViaViews(src, srcOff, dst, dstOff, bytes);
        }
    }

    /** Host memory into a tensor of any buffer. */
    public static void fromHost(MemorySegment host, MemorySegment dst, long dstOff, long bytes) {
        if (isHost(dst)) MemorySegment.copy(host, 0, hostData(dst), dstOff, bytes);
        else llama_h.ggml_backend_tensor_set(dst, host, dstOff, bytes);
    }

    /** A tensor of any buffer into host memory. */
    public static void toHost(MemorySegment src, long srcOff, MemorySegment host, long bytes) {
        if (isHost(src)) MemorySegment.copy(hostData(src), srcOff, host, 0, bytes);
        else llama_h.ggml_backend_tensor_get(src, host, srcOff, bytes);
    }

    /**
     * Device-to-device: 1-D views over both ranges, then ggml_backend_tensor_copy (which uses the
     * backend's own copy). Public so tests can run it on CPU buffers.
     */
    public static void copyViaViews(MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long bytes) {
        long elem = llama_h.ggml_type_size(Tensors.type(src));
        if (Tensors.type(src) != Tensors.type(dst) || bytes % elem != 0 || srcOff % elem != 0 || dstOff % elem != 0) {
            throw new IllegalArgumentException("device copy needs the same element type and element-aligned ranges");
        }
        try (GgmlContext ctx = GgmlContext.metadata(2, 0)) {
            MemorySegment sv = llama_h.ggml_view_1d(ctx.handle(), src, bytes / elem, srcOff);
            MemorySegment dv = llama_h.ggml_view_1d(ctx.handle(), dst, bytes / elem, dstOff);
            check(llama_h.ggml_backend_view_init(sv));
            check(llama_h.ggml_backend_view_init(dv));
            llama_h.ggml_backend_tensor_copy(sv, dv);
        }
    }

    private static void check(int status) {
        if (status != llama_h.GGML_STATUS_SUCCESS()) throw new IllegalStateException("ggml_backend_view_init failed: " + status);
    }
}
