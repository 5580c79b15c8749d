package dev.canopy.app.documents;

/** What a block of a document is. */
public enum BlockKind {
    /** A section title; its text is the title alone. */
    HEADING,
    /** Body text: a paragraph, list item, table row or code block. */
    PARAGRAPH
}
