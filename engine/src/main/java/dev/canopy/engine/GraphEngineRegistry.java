package dev.canopy.engine;

import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.model.Architecture;
import dev.canopy.engine.model.UnsupportedModelException;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hook where Canopy's own graph engine plugs in: which architectures it builds and how it
 * loads them. Other architectures run on the llama.cpp path.
 */
final class GraphEngineRegistry {
    private GraphEngineRegistry() {}

    static Set<String> architectures() {
        return Arrays.stream(Architecture.values()).map(Architecture::ggufName).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The Canopy model for {@code info}, or empty when its architecture is not built here. Throws
     * {@link UnsupportedModelException} when the architecture is, but something in this model is not
     * (the caller falls back to llama.cpp with that reason).
     */
    static Optional<InferenceModel> load(ModelInfo info, EngineOptions options) {
        if (!architectures().contains(info.architecture())) return Optional.empty();
        return Optional.of(CanopyInferenceModel.load(info, options));
    }
}
