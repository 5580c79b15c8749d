package dev.canopy.natives.llama;

import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** The tokenizer of a loaded model. Valid while its {@link LlamaModel} is open. */
public final class LlamaVocab {
    private final MemorySegment vocab; // borrowed: owned by the model
    private final LlamaModel owner;

    LlamaVocab(MemorySegment vocab, LlamaModel owner) {
        this.vocab = vocab;
        this.owner = owner;
    }

    private MemorySegment handle() {
        owner.handle(); // throws once the model is closed
        return vocab;
    }

    public int size() { return llama_h.llama_vocab_n_tokens(handle()); }
    public int bos() { return llama_h.llama_vocab_bos(handle()); }
    public int eos() { return llama_h.llama_vocab_eos(handle()); }
    public boolean isEndOfGeneration(int token) { return llama_h.llama_vocab_is_eog(handle(), token); }

    /**
     * Text to token ids.
     *
     * @param addSpecial   add BOS (and EOS) the way the model is configured to
     * @param parseSpecial recognise special tokens such as {@code <|im_start|>} written in the text
     */
    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment str = arena.allocate(utf8.length + 1L);
            MemorySegment.copy(utf8, 0, str, ValueLayout.JAVA_BYTE, 0, utf8.length);
            int cap = utf8.length + 8;
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT, cap);
            int n = llama_h.llama_tokenize(handle(), str, utf8.length, out, cap, addSpecial, parseSpecial);
            if (n == Integer.MIN_VALUE) throw new IllegalArgumentException("text too long to tokenize");
            if (n < 0) {
                cap = -n;
                out = arena.allocate(ValueLayout.JAVA_INT, cap);
                n = llama_h.llama_tokenize(handle(), str, utf8.length, out, cap, addSpecial, parseSpecial);
            }
            return out.asSlice(0, (long) n * Integer.BYTES).toArray(ValueLayout.JAVA_INT);
        }
    }

    /** The bytes of one token (a token may hold part of a UTF-8 character). */
    public byte[] pieceBytes(int token, boolean renderSpecial) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64);
            int n = llama_h.llama_token_to_piece(handle(), token, buf, 64, 0, renderSpecial);
            if (n < 0) {
                buf = arena.allocate(-n);
                n = llama_h.llama_token_to_piece(handle(), token, buf, -n, 0, renderSpecial);
            }
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** Token ids back to text. */
    public String detokenize(int[] tokens, boolean removeSpecial, boolean renderSpecial) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_INT, tokens);
            int cap = tokens.length * 8 + 16;
            MemorySegment buf = arena.allocate(cap);
            int n = llama_h.llama_detokenize(handle(), in, tokens.length, buf, cap, removeSpecial, renderSpecial);
            if (n < 0) {
                cap = -n;
                buf = arena.allocate(cap);
                n = llama_h.llama_detokenize(handle(), in, tokens.length, buf, cap, removeSpecial, renderSpecial);
            }
            return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    /** The native pointer. Borrowed (owned by the model). */
    public MemorySegment pointer() {
        return handle();
    }
}
