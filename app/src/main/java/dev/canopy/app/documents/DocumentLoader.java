package dev.canopy.app.documents;

import java.nio.file.Path;

/** Reads one file format into a {@link Document}. {@link DocumentLoaders} picks the loader for a file. */
public interface DocumentLoader {
    /** Reads {@code file}; failures come as a {@link DocumentException} with a message for the user. */
    Document load(Path file) throws DocumentException;
}
