package dev.canopy.kv.tier;

import dev.canopy.kv.KvType;
import dev.canopy.natives.ffi.ggml_to_float_t;
import dev.canopy.natives.ffi.ggml_type_traits;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Encodes hot rows (F32/F16) into the cold type (F32, F16 or Q8_0) and back (quantized hot rows
 * are stored as they are), with ggml's own row
 * routines (ggml_fp32_to_fp16_row, ggml_quantize_chunk, the Q8_0 type traits' to_float), so disk
 * pages hold exactly what ggml would. Thread-safe (scratch memory is per call).
 */
final class ColdCodec {
    private final KvType hot;
    private final KvType cold;
    private final int rowElements;
    private final MemorySegment q8ToFloat; // borrowed: function in ggml's static type traits

    @SuppressWarnings("restricted") // ggml's type traits table is static and sized by its generated layout
    ColdCodec(KvType hot, KvType cold, int rowElements) {
        this.hot = hot;
        this.cold = cold;
        this.rowElements = rowElements;
        cold.rowBytes(rowElements); // validates the block size
        if (cold == KvType.Q8_0) {
            MemorySegment traits = llama_h.ggml_get_type_traits(KvType.Q8_0.ggmlId()).reinterpret(ggml_type_traits.layout().byteSize());
            q8ToFloat = ggml_type_traits.to_float(traits);
        } else {
            q8ToFloat = MemorySegment.NULL;
        }
    }

    long coldRowBytes() {
        return cold.rowBytes(rowElements);
    }

    /** Whether decode(encode(x)) == x for every hot row. */
    boolean lossless() {
        return cold == hot || cold == KvType.F32;
    }

    void encode(MemorySegment hotRows, MemorySegment coldRows, int rows) {
        long n = (long) rows * rowElements;
        if (cold == hot || cold != KvType.Q8_0) {
            Rows.convert(hotRows, hot, coldRows, cold, n);
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f32 = hot == KvType.F32 ? hotRows : a.allocate(n * 4, 64);
            if (hot != KvType.F32) Rows.convert(hotRows, hot, f32, KvType.F32, n);
            llama_h.ggml_quantize_chunk(cold.ggmlId(), f32, coldRows, 0, rows, rowElements, MemorySegment.NULL);
        }
    }

    void decode(MemorySegment coldRows, MemorySegment hotRows, int rows) {
        long n = (long) rows * rowElements;
        if (cold == hot || cold != KvType.Q8_0) {
            Rows.convert(coldRows, cold, hotRows, hot, n);
            return;
        }
        if (hot == KvType.F32) {
            ggml_to_float_t.invoke(q8ToFloat, coldRows, hotRows, n);
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f32 = a.allocate(n * 4, 64);
            ggml_to_float_t.invoke(q8ToFloat, coldRows, f32, n);
            Rows.convert(f32, KvType.F32, hotRows, hot, n);
        }
    }
}
