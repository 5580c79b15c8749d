package dev.canopy.app.models;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.canopy.app.settings.JsonFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The curated list of small instruct models, shipped as {@code curated-models.json}. */
public final class CuratedModels {
    private static final String RESOURCE = "/dev/canopy/app/models/curated-models.json";

    private CuratedModels() {}

    public static List<CuratedModel> list() {
        try (InputStream in = CuratedModels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return List.of();
            return List.copyOf(JsonFiles.MAPPER.readValue(in, new TypeReference<List<CuratedModel>>() {}));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
