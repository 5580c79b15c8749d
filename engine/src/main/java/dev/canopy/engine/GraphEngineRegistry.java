package dev.canopy.engine;

import java.util.Optional;
import java.util.Set;

/**
 * The hook where Canopy's own graph engine plugs in: which architectures it builds and how it
 * loads them. Until it lands every model runs on the llama.cpp path.
 */
final class GraphEngineRegistry {
    private GraphEngineRegistry() {}

    static Set<String> architectures() {
        return Set.of();
    }

    static Optional<InferenceModel> load(ModelInfo info, EngineOptions options) {
        return Optional.empty();
    }
}
