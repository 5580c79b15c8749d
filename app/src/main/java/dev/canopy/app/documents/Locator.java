package dev.canopy.app.documents;

/**
 * The unit a document's places are numbered in, so a summary can cite where each statement comes from.
 * PDFs (and Word files that record their page breaks) have pages; plain text and Markdown have lines;
 * HTML and Word files without page information have sections, numbered in reading order.
 */
public enum Locator {
    PAGE("p.", "pp."),
    LINE("line", "lines"),
    SECTION("§", "§");

    private final String one;
    private final String many;

    Locator(String one, String many) {
        this.one = one;
        this.many = many;
    }

    /** A citation such as {@code [p. 3–5]}, {@code [p. 7]}, {@code [lines 10–42]} or {@code [§ 2]}. */
    public String cite(int from, int to) {
        return "[" + label(from, to) + "]";
    }

    /** The citation's text without brackets, e.g. {@code p. 3–5}. */
    public String label(int from, int to) {
        if (from == to) return one + " " + from;
        return (this == PAGE ? one : many) + " " + from + "–" + to;
    }

    /** The plural noun for reports: pages, lines, sections. */
    public String noun() {
        return switch (this) {
            case PAGE -> "pages";
            case LINE -> "lines";
            case SECTION -> "sections";
        };
    }
}
