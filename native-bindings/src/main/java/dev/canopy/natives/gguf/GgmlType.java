package dev.canopy.natives.gguf;

import dev.canopy.natives.ffi.llama_h;

/** The ggml tensor types Canopy writes; reading accepts any type ggml knows. */
public enum GgmlType {
    F32(llama_h.GGML_TYPE_F32(), 0),
    F16(llama_h.GGML_TYPE_F16(), 1),
    Q8_0(llama_h.GGML_TYPE_Q8_0(), 7);

    private final int id;
    private final int fileType;

    GgmlType(int id, int fileType) {
        this.id = id;
        this.fileType = fileType;
    }

    /** ggml's enum value. */
    public int id() { return id; }

    /** The matching {@code general.file_type} (llama_ftype) for a model mostly of this type. */
    public int fileType() { return fileType; }

    /** ggml's name for any type id, e.g. "q4_K". */
    public static String nameOf(int typeId) {
        return dev.canopy.natives.NativeRuntime.cString(llama_h.ggml_type_name(typeId));
    }
}
