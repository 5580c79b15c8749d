package dev.canopy.app.models;

import dev.canopy.engine.EngineKind;
import dev.canopy.engine.ModelInfo;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A model file Canopy knows about, with what the Models view shows.
 *
 * @param file     the .gguf file
 * @param info     its metadata, empty when the file could not be read
 * @param engine   the engine that runs it: Canopy's own graph or the llama.cpp fallback
 * @param memory   estimated memory need, empty when the metadata is missing
 * @param problem  why the file cannot be used, or empty
 */
public record ModelEntry(Path file, Optional<ModelInfo> info, EngineKind engine, Optional<MemoryEstimate> memory,
                         Optional<String> problem) {

    public String displayName() {
        return info.map(ModelInfo::name).filter(n -> !n.isBlank()).orElse(file.getFileName().toString());
    }

    public boolean usable() {
        return problem.isEmpty() && info.isPresent();
    }
}
