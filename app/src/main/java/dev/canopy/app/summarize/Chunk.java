package dev.canopy.app.summarize;

import java.util.List;

/**
 * A piece of a document small enough to summarize in one prompt.
 *
 * @param index    0-based position in the document
 * @param text     the text, cut only at section, paragraph, sentence or word boundaries
 * @param tokens   its length in the model's tokens
 * @param span     the places it comes from
 * @param headings the section path where it starts (outermost first)
 * @param sources  its text per place (page, paragraph or section), to trace its summary's statements to
 */
public record Chunk(int index, String text, int tokens, SourceSpan span, List<String> headings,
                    List<Citations.Statement> sources) {
    public Chunk {
        headings = List.copyOf(headings);
        sources = List.copyOf(sources);
    }

    /** "Part 2 > Methods", or "" before the first heading. */
    public String section() {
        return String.join(" > ", headings);
    }
}
