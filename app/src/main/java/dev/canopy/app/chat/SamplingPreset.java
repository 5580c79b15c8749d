package dev.canopy.app.chat;

import dev.canopy.natives.llama.SamplerSettings;

/** Sampling recipes a conversation can choose, from repeatable to inventive. */
public enum SamplingPreset {
    PRECISE("Precise", "Same question, same answer: best for facts, code and summaries.", 0f),
    BALANCED("Balanced", "Natural answers with a little variety.", 0.7f),
    CREATIVE("Creative", "More varied wording: brainstorming and stories.", 1.0f);

    private final String label;
    private final String description;
    private final float temperature;

    SamplingPreset(String label, String description, float temperature) {
        this.label = label;
        this.description = description;
        this.temperature = temperature;
    }

    public String label() { return label; }
    public String description() { return description; }
    public float temperature() { return temperature; }

    public SamplerSettings sampler(long seed) {
        if (temperature <= 0) return SamplerSettings.greedy().withSeed(seed);
        return SamplerSettings.balanced(seed).withTemperature(temperature);
    }
}
