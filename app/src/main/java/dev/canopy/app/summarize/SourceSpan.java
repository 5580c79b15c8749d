package dev.canopy.app.summarize;

import dev.canopy.app.documents.Locator;

import java.util.Collection;

/** A range of places in a document (pages, lines or sections, 1-based, inclusive). */
public record SourceSpan(int from, int to) {
    public SourceSpan {
        if (from < 1 || to < from) throw new IllegalArgumentException("bad span " + from + ".." + to);
    }

    public SourceSpan union(SourceSpan o) {
        return new SourceSpan(Math.min(from, o.from), Math.max(to, o.to));
    }

    public boolean contains(SourceSpan o) {
        return o.from >= from && o.to <= to;
    }

    /** The smallest span covering all of {@code spans} (which must not be empty). */
    public static SourceSpan covering(Collection<SourceSpan> spans) {
        return spans.stream().reduce(SourceSpan::union).orElseThrow();
    }

    /** The citation, e.g. {@code [p. 3–5]}. */
    public String cite(Locator locator) {
        return locator.cite(from, to);
    }
}
