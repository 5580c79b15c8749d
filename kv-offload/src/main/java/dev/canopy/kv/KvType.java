package dev.canopy.kv;

import dev.canopy.natives.ffi.llama_h;

/**
 * Element types of stored KV rows. Hot pages (device and host tiers, and the gathered attention
 * input) are {@link #F32} or {@link #F16}, as the engine computes them; cold pages on disk may also
 * be {@link #Q8_0} (blocks of 32 values with one F16 scale: about 1.06 bytes a value).
 */
public enum KvType {
    F32(4, 1, 4),
    F16(2, 1, 2),
    Q8_0(0, 32, 34);

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
        };
    }

    /** Bytes of one row of {@code elements} values; {@code elements} must be a multiple of the block size. */
    public long rowBytes(int elements) {
        if (elements % blockElements != 0) {
            throw new IllegalArgumentException(this + " rows need a multiple of " + blockElements + " values, not " + elements);
        }
        return (long) elements / blockElements * blockBytes;
    }

    /** Bytes of one value for the plain types (F32, F16); 0 for block types. */
    public int elementBytes() {
        return elementBytes;
    }

    /** Whether the engine can hold rows of this type in its KV tensors (F32 or F16). */
    public boolean isHotType() {
        return this != Q8_0;
    }

    /** The type of a ggml tensor type id (F32 and F16 only; other types are refused). */
    public static KvType ofGgml(int ggmlType) {
        if (ggmlType == llama_h.GGML_TYPE_F32()) return F32;
        if (ggmlType == llama_h.GGML_TYPE_F16()) return F16;
        throw new IllegalArgumentException("KV rows must be F32 or F16, not ggml type " + ggmlType);
    }
}
