package dev.canopy.natives.llama;

import dev.canopy.natives.ffi.llama_h;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The model file types libllama's quantizer writes that Canopy offers, as llama-quantize names them. */
public enum QuantType {
    F16(llama_h.LLAMA_FTYPE_MOSTLY_F16(), "f16"),
    Q8_0(llama_h.LLAMA_FTYPE_MOSTLY_Q8_0(), "q8_0"),
    Q6_K(llama_h.LLAMA_FTYPE_MOSTLY_Q6_K(), "q6_K"),
    Q5_K_M(llama_h.LLAMA_FTYPE_MOSTLY_Q5_K_M(), "q5_K"),
    Q4_K_M(llama_h.LLAMA_FTYPE_MOSTLY_Q4_K_M(), "q4_K"),
    Q4_0(llama_h.LLAMA_FTYPE_MOSTLY_Q4_0(), "q4_0");

    private final int fileType;
    private final String mainTensorType;

    QuantType(int fileType, String mainTensorType) {
        this.fileType = fileType;
        this.mainTensorType = mainTensorType;
    }

    /** libllama's {@code llama_ftype}. */
    public int fileType() { return fileType; }

    /**
     * ggml's name of the type most matrices get (e.g. {@code q4_K} for Q4_K_M, which gives some
     * matrices, such as half of the V and FFN-down ones, Q6_K as llama-quantize does).
     */
    public String mainTensorType() { return mainTensorType; }

    /** Parses a name as llama-quantize writes it ({@code Q4_K_M}, case-insensitive). */
    public static QuantType parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown type " + name + "; one of " + names());
        }
    }

    public static String names() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
