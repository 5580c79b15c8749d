package dev.canopy.engine.weights;

import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.ggml_backend_dev_get_extra_bufts_t;
import dev.canopy.natives.ffi.ggml_tensor;
import dev.canopy.natives.ggml.GgmlContext;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.canopy.natives.ffi.llama_h.*;

/**
 * The CPU's "extra" weight buffer types (ggml's CPU_REPACK, AMX...), which store matrices in the
 * interleaved layout the fastest CPU kernels read (e.g. Q4_0 as 8x8 blocks on AVX2), and the test
 * of whether one of them can hold a given matrix. This is what llama.cpp's loader does in
 * make_cpu_buft_list / weight_buft_supported; without it, quantized matmuls take the slower
 * row-by-row kernels and Canopy would trail llama.cpp on the same file.
 */
final class CpuWeightLayouts {
    private final MemorySegment device;              // borrowed: the CPU ggml_backend_dev_t (process lifetime)
    private final List<MemorySegment> bufferTypes;   // borrowed: ggml_backend_buffer_type_t (process lifetime)

    private CpuWeightLayouts(MemorySegment device, List<MemorySegment> bufferTypes) {
        this.device = device;
        this.bufferTypes = bufferTypes;
    }

    /** The CPU device's extra buffer types, in ggml's order of preference (none when the build has none). */
    static CpuWeightLayouts discover() {
        NativeRuntime.get();
        MemorySegment dev = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU());
        List<MemorySegment> types = new ArrayList<>();
        if (!dev.equals(MemorySegment.NULL)) {
            MemorySegment fn;
            try (Arena arena = Arena.ofConfined()) {
                fn = ggml_backend_reg_get_proc_address(ggml_backend_dev_backend_reg(dev), arena.allocateFrom("ggml_backend_dev_get_extra_bufts"));
            }
            if (!fn.equals(MemorySegment.NULL)) {
                MemorySegment list = ggml_backend_dev_get_extra_bufts_t.invoke(fn, dev);
                if (!list.equals(MemorySegment.NULL)) {
                    list = list.reinterpret(Long.MAX_VALUE);
                    for (long i = 0; ; i++) {
                        MemorySegment t = list.getAtIndex(ValueLayout.ADDRESS, i);
                        if (t.equals(MemorySegment.NULL)) break;
                        types.add(t);
                    }
                }
            }
        }
        return new CpuWeightLayouts(dev, List.copyOf(types));
    }

    /** The first extra buffer type whose kernels multiply {@code weight} (a 2-D matrix) by F32 activations. */
    Optional<MemorySegment> forMatMul(MemorySegment weight) {
        for (MemorySegment buft : bufferTypes) {
            if (supportsMatMul(buft, weight)) return Optional.of(buft);
        }
        return Optional.empty();
    }

    /** ggml's name of a buffer type, e.g. CPU_REPACK. */
    static String name(MemorySegment buft) {
        return NativeRuntime.cString(ggml_backend_buft_name(buft));
    }

    /**
     * Asks the CPU device whether it runs mul_mat(weight, x) with the weight in {@code buft}: a
     * copy of the weight's header, in a scratch context, is given a zero-size buffer of that type.
     */
    private boolean supportsMatMul(MemorySegment buft, MemorySegment weight) {
        try (GgmlContext scratch = GgmlContext.metadata(8, 0); Arena arena = Arena.ofConfined()) {
            long[] shape = Tensors.shape(weight);
            MemorySegment ne = arena.allocateFrom(ValueLayout.JAVA_LONG, shape);
            MemorySegment w = ggml_new_tensor(scratch.handle(), Tensors.type(weight), 4, ne);
            MemorySegment x = ggml_new_tensor_4d(scratch.handle(), GGML_TYPE_F32(), shape[0], 512, shape[2], shape[3]);
            MemorySegment op = ggml_mul_mat(scratch.handle(), w, x);
            MemorySegment dummy = ggml_backend_buft_alloc_buffer(buft, 0);
            if (dummy.equals(MemorySegment.NULL)) return false;
            try {
                ggml_tensor.buffer(Tensors.header(w), dummy);
                return ggml_backend_dev_supports_op(device, op);
            } finally {
                ggml_tensor.buffer(Tensors.header(w), MemorySegment.NULL);
                ggml_backend_buffer_free(dummy);
            }
        }
    }
}
