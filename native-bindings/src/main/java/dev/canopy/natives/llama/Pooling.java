package dev.canopy.natives.llama;

import dev.canopy.natives.ffi.llama_h;

import java.util.Arrays;
import java.util.Optional;

/**
 * How libllama pools a sequence's hidden states into one embedding ({@code llama_pooling_type}).
 * {@link #NONE} gives no sequence embedding, {@link #RANK} a reranker's score.
 */
public enum Pooling {
    NONE(llama_h.LLAMA_POOLING_TYPE_NONE()),
    MEAN(llama_h.LLAMA_POOLING_TYPE_MEAN()),
    CLS(llama_h.LLAMA_POOLING_TYPE_CLS()),
    LAST(llama_h.LLAMA_POOLING_TYPE_LAST()),
    RANK(llama_h.LLAMA_POOLING_TYPE_RANK());

    private final int code;

    Pooling(int code) { this.code = code; }

    /** libllama's value. */
    public int code() { return code; }

    /** The pooling of libllama's value {@code code}, or empty for an unknown (or unspecified) one. */
    public static Optional<Pooling> ofCode(int code) {
        return Arrays.stream(values()).filter(p -> p.code == code).findFirst();
    }

    /** Pools into one vector per sequence (mean, CLS or last token): usable as a text embedding. */
    public boolean embedsSequences() {
        return this == MEAN || this == CLS || this == LAST;
    }
}
