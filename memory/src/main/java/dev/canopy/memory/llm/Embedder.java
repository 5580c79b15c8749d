package dev.canopy.memory.llm;

import java.util.List;

/** Optional port to an embedding-capable model. Vectors need not be normalized. */
public interface Embedder {

    /** One vector per text, all of {@link #dimension()} floats. */
    List<float[]> embed(List<String> texts);

    int dimension();
}
