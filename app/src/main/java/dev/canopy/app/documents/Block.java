package dev.canopy.app.documents;

import java.util.List;

/**
 * One block of a document in reading order, with where it is.
 *
 * @param kind     heading or body text
 * @param text     the block's text (never blank)
 * @param headings the titles of the sections it lies in, outermost first (for a heading: including itself)
 * @param from     first place it occupies, in the document's {@link Locator} unit (1-based)
 * @param to       last place it occupies ({@code >= from})
 */
public record Block(BlockKind kind, String text, List<String> headings, int from, int to) {
    public Block {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("a block needs text");
        if (from < 1 || to < from) throw new IllegalArgumentException("bad place " + from + ".." + to);
        headings = List.copyOf(headings);
    }

    public static Block paragraph(String text, List<String> headings, int from, int to) {
        return new Block(BlockKind.PARAGRAPH, text, headings, from, to);
    }

    public static Block heading(String text, List<String> headings, int at) {
        return new Block(BlockKind.HEADING, text, headings, at, at);
    }

    /** Section depth: 1 for a top-level heading, 0 for text before any heading. */
    public int depth() {
        return headings.size();
    }
}
