package dev.canopy.engine;

import dev.canopy.engine.llama.LlamaInferenceModel;
import dev.canopy.engine.model.UnsupportedModelException;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a model with the best engine for it: Canopy's own graph for the architectures it builds,
 * libllama's llama_decode for everything else (with a notice saying what that costs). Both split
 * the layers over other computers' devices when the options name workers (decision 0200).
 */
public final class Engines {
    private Engines() {}

    /** Architectures Canopy's own graph engine builds. */
    public static Set<String> canopyArchitectures() {
        return GraphEngineRegistry.architectures();
    }

    public static InferenceModel load(Path file, EngineOptions options) {
        ModelInfo info = ModelInspector.inspect(file);
        if (options.engine() == EngineKind.CANOPY) {
            String why = "the " + info.architecture() + " architecture is not built by Canopy's graph yet";
            try {
                Optional<InferenceModel> own = GraphEngineRegistry.load(info, options);
                if (own.isPresent()) return own.get();
            } catch (UnsupportedModelException e) {
                why = e.getMessage();
            }
            String notice = "This model runs through llama.cpp's own decoder (" + why + "): dense"
                    + " attention, without Canopy's sparse attention or KV tiers.";
            return LlamaInferenceModel.load(info, options, Optional.of(notice));
        }
        return LlamaInferenceModel.load(info, options, Optional.empty());
    }
}
