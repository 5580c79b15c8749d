package dev.canopy.engine;

import dev.canopy.natives.llama.SamplerSettings;

import java.util.List;

/**
 * One generation: the full prompt (the session reuses the KV of whatever prefix it already holds),
 * how many new tokens at most, sampling, and stop strings.
 */
public record GenerationRequest(String prompt, int maxTokens, SamplerSettings sampling, List<String> stopStrings,
                                CancellationToken cancel, Speculation speculation) {
    public GenerationRequest {
        if (maxTokens < 0) throw new IllegalArgumentException("maxTokens must be >= 0");
        stopStrings = List.copyOf(stopStrings);
        if (speculation == null) speculation = Speculation.off();
    }

    /** Without speculative decoding. */
    public GenerationRequest(String prompt, int maxTokens, SamplerSettings sampling, List<String> stopStrings,
                             CancellationToken cancel) {
        this(prompt, maxTokens, sampling, stopStrings, cancel, Speculation.off());
    }

    public GenerationRequest withSpeculation(Speculation s) {
        return new GenerationRequest(prompt, maxTokens, sampling, stopStrings, cancel, s);
    }

    public static GenerationRequest greedy(String prompt, int maxTokens) {
        return new GenerationRequest(prompt, maxTokens, SamplerSettings.greedy(), List.of(), new CancellationToken());
    }

    public GenerationRequest withSampling(SamplerSettings s) {
        return new GenerationRequest(prompt, maxTokens, s, stopStrings, cancel, speculation);
    }

    public GenerationRequest withStops(List<String> stops) {
        return new GenerationRequest(prompt, maxTokens, sampling, stops, cancel, speculation);
    }

    public GenerationRequest withCancel(CancellationToken c) {
        return new GenerationRequest(prompt, maxTokens, sampling, stopStrings, c, speculation);
    }
}
