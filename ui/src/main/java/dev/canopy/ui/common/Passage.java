package dev.canopy.ui.common;

import dev.canopy.app.documents.Block;
import dev.canopy.app.documents.Document;
import dev.canopy.app.documents.DocumentException;
import dev.canopy.app.documents.DocumentLoaders;
import dev.canopy.app.summarize.SourceSpan;

import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The part of a document a clicked citation points at, as the chat and the Documents view show it.
 *
 * @param title where it is ("Lines 3–4 of guide.md"), with a note when the file changed since
 * @param text  the passage's blocks, or a sentence saying the document has no text there
 */
public record Passage(String title, String text) {

    /**
     * Reads {@code file} (slow: call it off the UI thread) and returns the blocks {@code span}
     * overlaps. When {@code summarizedHash} is present and differs from the file's content hash,
     * the title says the file has changed since.
     */
    public static Passage read(Path file, SourceSpan span, Optional<String> summarizedHash) throws DocumentException {
        Document doc = DocumentLoaders.load(file);
        String text = doc.blocks().stream().filter(b -> b.from() <= span.to() && b.to() >= span.from())
                .map(Block::text).collect(Collectors.joining("\n\n"));
        String place = doc.locator().label(span.from(), span.to());
        String changed = summarizedHash.filter(h -> !h.isEmpty() && !h.equals(doc.contentHash()))
                .map(h -> " (the file has changed since it was summarized)").orElse("");
        return new Passage(Labels.sentence(place) + " of " + file.getFileName() + changed,
                text.isBlank() ? "The document has no text at " + place + "." : text);
    }
}
