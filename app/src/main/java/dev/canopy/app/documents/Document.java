package dev.canopy.app.documents;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded document: its text as blocks in reading order, each with its section path and place.
 *
 * @param title       the document's own title, or the file name
 * @param source      the file it came from
 * @param format      the file format
 * @param locator     how places are numbered (pages, lines or sections)
 * @param places      how many places there are (page count, line count, section count)
 * @param blocks      the text, in reading order (never empty)
 * @param contentHash SHA-256 of the file's bytes, hex: the document's identity in the database
 * @param warnings    things the reader should know (pages without text, skipped parts)
 */
public record Document(String title, Path source, DocumentFormat format, Locator locator, int places,
                       List<Block> blocks, String contentHash, List<String> warnings) {
    public Document {
        blocks = List.copyOf(blocks);
        warnings = List.copyOf(warnings);
        if (blocks.isEmpty()) throw new IllegalArgumentException("a document needs at least one block");
    }

    /** Characters of text in all blocks. */
    public long characters() {
        return blocks.stream().mapToLong(b -> b.text().length()).sum();
    }

    /** The citation for places {@code from..to} in this document's unit, e.g. {@code [p. 3–5]}. */
    public String cite(int from, int to) {
        return locator.cite(from, to);
    }
}
