package dev.canopy.engine;

/** Text to tokens and back, with the model's own vocabulary (libllama's tokenizer). */
public interface Tokenizer {
    /** Tokens of {@code text}; {@code addBos} adds the model's start token, special tokens in the text are parsed. */
    int[] encode(String text, boolean addBos);

    String decode(int[] tokens);

    int vocabSize();

    boolean isEndOfGeneration(int token);

    /** Token count of {@code text} as a prompt would have it. */
    default int count(String text) {
        return encode(text, false).length;
    }
}
