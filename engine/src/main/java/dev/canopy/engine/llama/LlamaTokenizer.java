package dev.canopy.engine.llama;

import dev.canopy.engine.Tokenizer;
import dev.canopy.natives.llama.LlamaVocab;

/** {@link Tokenizer} over libllama's vocabulary. */
public final class LlamaTokenizer implements Tokenizer {
    private final LlamaVocab vocab; // borrowed from the model

    public LlamaTokenizer(LlamaVocab vocab) {
        this.vocab = vocab;
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        return vocab.tokenize(text, addBos, true);
    }

    @Override
    public String decode(int[] tokens) {
        return vocab.detokenize(tokens, false, false);
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public boolean isEndOfGeneration(int token) {
        return vocab.isEndOfGeneration(token);
    }

    /** The raw bytes of one token, for streaming. */
    public byte[] piece(int token) {
        return vocab.pieceBytes(token, false);
    }
}
