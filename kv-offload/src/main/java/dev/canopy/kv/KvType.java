package dev.canopy.kv;

import dev.canopy.kv.tier.Rows;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.MemorySegment;

/**
 * Element types of stored KV rows. The engine computes K and V in {@link #F32} and keeps them as
 * {@link #F16} by default; with a quantized KV cache ({@code --kv-type q8_0|q4_0}) the hot pages
 * (device and host tiers, and the gathered attention input) hold {@link #Q8_0} or {@link #Q4_0}
 * rows as the graph wrote them, and so do the cold pages on disk. Cold pages of an F16 cache may
 * also be {@link #Q8_0}. The block types hold 32 values per block with one F16 scale: Q8_0 34
 * bytes (about 1.06 bytes a value), Q4_0 18 bytes (0.56 bytes a value).
 */
public enum KvType {
    F32(4, 1, 4),
    F16(2, 1, 2),
    Q8_0(0, 32, 34),
    Q4_0(0, 32, 18);

    private final int elementBytes; // 0 for block types
    private final int blockElements;
    private final int blockBytes;

    KvType(int elementBytes, int blockElements, int blockBytes) {
        this.elementBytes = elementBytes;
        this.blockElements = blockElements;
        this.blockBytes = blockBytes;
    }

    /** ggml's enum value for this type. */
    public int ggmlId() {
        return switch (this) {
            case F32 -> llama_h.GGML_TYPE_F32();
            case F16 -> llama_h.GGML_TYPE_F16();
            case Q8_0 -> llama_h.GGML_TYPE_Q8_0();
            case Q4_0 -> llama_h.GGML_TYPE_Q4_0();
        };
    }

    /** Bytes of one row of {@code elements} values; {@code elements} must be a multiple of the block size. */
    public long rowBytes(int elements) {
        return bytes(elements);
    }

    /** Bytes of {@code values} consecutive values; a multiple of the block size for the block types. */
    public long bytes(long values) {
        if (values % blockElements != 0) {
            throw new IllegalArgumentException(this + " rows need a multiple of " + blockElements + " values, not " + values);
        }
        return values / blockElements * blockBytes;
    }

    /** Values per block: 1 for the plain types, 32 for Q8_0 and Q4_0. */
    public int blockElements() {
        return blockElements;
    }

    /** Bytes of one value for the plain types (F32, F16); 0 for block types. */
    public int elementBytes() {
        return elementBytes;
    }

    /** Whether the rows are quantized blocks (Q8_0, Q4_0) rather than plain floats. */
    public boolean isQuantized() {
        return blockElements > 1;
    }

    /**
     * Widens {@code n} values of this type at {@code src} (native memory) to F32 at {@code dst}:
     * F16 as ggml rounds it, Q8_0 / Q4_0 with ggml's own to_float.
     */
    public void toF32(MemorySegment src, MemorySegment dst, long n) {
        if (isQuantized()) Rows.dequantize(src, this, dst, n);
        else Rows.convert(src, this, dst, F32, n);
    }

    /** The type of a ggml tensor type id (F32, F16, Q8_0 or Q4_0; other types are refused). */
    public static KvType ofGgml(int ggmlType) {
        for (KvType t : values()) if (t.ggmlId() == ggmlType) return t;
        throw new IllegalArgumentException("KV rows must be F32, F16, Q8_0 or Q4_0, not ggml type " + ggmlType);
    }
}
