package dev.canopy.app.documents;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects line-numbered blocks for the line-based formats: a paragraph is the run of non-blank lines
 * between blank lines; headings open sections and keep a path of their titles.
 */
final class LineBlocks {
    private final List<Block> blocks = new ArrayList<>();
    private final List<String> path = new ArrayList<>();
    private final List<Integer> levels = new ArrayList<>();
    private final StringBuilder para = new StringBuilder();
    private int paraFrom;
    private int paraTo;

    /** Adds a line of body text at 1-based line {@code lineNo}. */
    void line(String text, int lineNo) {
        if (para.isEmpty()) paraFrom = lineNo;
        else para.append('\n');
        para.append(Paragraphs.tidy(text));
        paraTo = lineNo;
    }

    /** Ends the current paragraph (a blank line, a heading, a fence). */
    void flush() {
        if (!para.isEmpty() && !para.toString().isBlank()) {
            blocks.add(Block.paragraph(para.toString(), path, paraFrom, paraTo));
        }
        para.setLength(0);
    }

    /** A heading of {@code level} (1 = top) at {@code lineNo}. */
    void heading(String title, int level, int lineNo) {
        flush();
        String t = Paragraphs.tidy(title);
        if (t.isEmpty()) return;
        while (!levels.isEmpty() && levels.getLast() >= level) {
            levels.removeLast();
            path.removeLast();
        }
        levels.add(level);
        path.add(t);
        blocks.add(Block.heading(t, path, lineNo));
    }

    /** Whether the open paragraph is exactly one line (a setext heading underline may follow it). */
    boolean singleLineParagraph() {
        return !para.isEmpty() && para.indexOf("\n") < 0;
    }

    /** Takes the open one-line paragraph back (it turned out to be a heading) and returns its text. */
    String takeParagraph() {
        String t = para.toString();
        para.setLength(0);
        return t;
    }

    List<Block> blocks() {
        flush();
        return blocks;
    }
}
