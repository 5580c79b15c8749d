package dev.canopy.natives.llama;

/**
 * A sampling recipe for libllama's sampler chain. Temperature 0 means greedy.
 *
 * @param temperature   0 = greedy (argmax)
 * @param topK          0 = off
 * @param topP          1 = off
 * @param minP          0 = off
 * @param repeatPenalty 1 = off
 * @param repeatLastN   how many recent tokens the penalty looks at
 * @param seed          random seed for sampling
 * @param grammar       a GBNF grammar (for example JSON), or null; it constrains generated tokens only
 * @param frequencyPenalty OpenAI's frequency penalty over the last {@code repeatLastN} tokens (0 = off)
 * @param presencePenalty  OpenAI's presence penalty over the last {@code repeatLastN} tokens (0 = off)
 */
public record SamplerSettings(float temperature, int topK, float topP, float minP,
                              float repeatPenalty, int repeatLastN, long seed, String grammar,
                              float frequencyPenalty, float presencePenalty) {
    /** Without frequency and presence penalties. */
    public SamplerSettings(float temperature, int topK, float topP, float minP, float repeatPenalty, int repeatLastN,
                           long seed, String grammar) {
        this(temperature, topK, topP, minP, repeatPenalty, repeatLastN, seed, grammar, 0f, 0f);
    }

    /** Whether any repetition penalty is on. */
    public boolean penalized() {
        return repeatPenalty != 1f || frequencyPenalty != 0f || presencePenalty != 0f;
    }

    /** Whether a grammar constrains the output. */
    public boolean constrained() {
        return grammar != null && !grammar.isBlank();
    }

    public static SamplerSettings greedy() {
        return new SamplerSettings(0f, 0, 1f, 0f, 1f, 64, 0, null);
    }

    public static SamplerSettings balanced(long seed) {
        return new SamplerSettings(0.7f, 40, 0.95f, 0.05f, 1.1f, 64, seed, null);
    }

    public SamplerSettings withGrammar(String gbnf) {
        return new SamplerSettings(temperature, topK, topP, minP, repeatPenalty, repeatLastN, seed, gbnf,
                frequencyPenalty, presencePenalty);
    }

    public SamplerSettings withTemperature(float t) {
        return new SamplerSettings(t, topK, topP, minP, repeatPenalty, repeatLastN, seed, grammar,
                frequencyPenalty, presencePenalty);
    }

    public SamplerSettings withSeed(long s) {
        return new SamplerSettings(temperature, topK, topP, minP, repeatPenalty, repeatLastN, s, grammar,
                frequencyPenalty, presencePenalty);
    }

    public SamplerSettings withPenalties(float frequency, float presence) {
        return new SamplerSettings(temperature, topK, topP, minP, repeatPenalty, repeatLastN, seed, grammar,
                frequency, presence);
    }
}
