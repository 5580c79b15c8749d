package dev.canopy.app.chat;

import dev.canopy.app.documents.BlockKind;
import dev.canopy.app.documents.Document;
import dev.canopy.app.documents.DocumentException;
import dev.canopy.app.documents.DocumentFormat;
import dev.canopy.app.documents.DocumentLoaders;
import dev.canopy.app.errors.UserFacingException;

import java.nio.file.Path;
import java.util.stream.Collectors;

/** A dropped document's text for the chat, read with the document loaders and cut to fit the context window. */
public final class DocumentReader {
    private DocumentReader() {}

    public static boolean supports(Path file) {
        return DocumentFormat.of(file).isPresent();
    }

    /** Reads {@code file}, keeping at most {@code maxChars} characters. */
    public static AttachedDocument read(Path file, int maxChars) {
        Document doc;
        try {
            doc = DocumentLoaders.load(file);
        } catch (DocumentException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        String text = doc.blocks().stream()
                .map(b -> b.kind() == BlockKind.HEADING ? "## " + b.text() : b.text())
                .collect(Collectors.joining("\n\n")).strip();
        String name = file.getFileName().toString();
        if (text.length() <= maxChars) return new AttachedDocument(name, text, text.length(), false);
        String cut = text.substring(0, Math.max(0, maxChars)) + "\n[… the document continues; only its first "
                + maxChars + " of " + text.length() + " characters fit the context window. Use Documents to summarize all of it.]";
        return new AttachedDocument(name, cut, text.length(), true);
    }
}
