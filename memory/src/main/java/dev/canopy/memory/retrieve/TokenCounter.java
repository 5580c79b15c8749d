package dev.canopy.memory.retrieve;

/** Counts prompt tokens; the app passes the model's tokenizer, the default estimates. */
@FunctionalInterface
public interface TokenCounter {

    int count(String text);

    /** About four characters per token, rounded up: a safe estimate for English with BPE vocabularies. */
    static TokenCounter estimate() {
        return text -> (text.length() + 3) / 4;
    }
}
