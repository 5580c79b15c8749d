package dev.canopy.app.documents;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown: ATX ({@code ## Title}) and setext (underlined) headings open sections; fenced code stays
 * one block and never yields headings; YAML front matter is skipped (its {@code title:} is used).
 * commonmark finds the headings, code fences and thematic breaks; the text of every other line is
 * kept as written, in paragraphs between blank lines. Cited by line number.
 */
public final class MarkdownLoader implements DocumentLoader {
    private static final Pattern FRONT_TITLE = Pattern.compile("^title:\\s*[\"']?(.*?)[\"']?\\s*$");
    private static final Parser PARSER = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS).build();

    /** What commonmark found on a line (0-based, counted from the end of the front matter). */
    private record Heading1(String text, int level, int lastLine) {}

    @Override
    public Document load(Path file) throws DocumentException {
        String[] lines = TextFiles.read(file).split("\n", -1);
        String title = null;
        int start = 0;
        if (lines.length > 1 && lines[0].strip().equals("---")) {
            for (int j = 1; j < lines.length; j++) {
                if (lines[j].strip().equals("---") || lines[j].strip().equals("...")) { start = j + 1; break; }
                Matcher t = FRONT_TITLE.matcher(lines[j]);
                if (t.matches()) title = t.group(1);
            }
        }
        Map<Integer, Heading1> headings = new HashMap<>();
        Map<Integer, Integer> fences = new HashMap<>();   // first line -> last line
        Set<Integer> breaks = new HashSet<>();
        Node doc = PARSER.parse(String.join("\n", List.of(lines).subList(start, lines.length)));
        doc.accept(new AbstractVisitor() {
            @Override public void visit(Heading h) {
                headings.put(first(h), new Heading1(text(h), h.getLevel(), last(h)));
            }
            @Override public void visit(FencedCodeBlock f) {
                fences.put(first(f), last(f));
            }
            @Override public void visit(ThematicBreak b) {
                breaks.add(first(b));
            }
        });
        LineBlocks out = new LineBlocks();
        for (int i = start; i < lines.length; i++) {
            int at = i - start;
            int lineNo = i + 1;
            Heading1 h = headings.get(at);
            Integer fenceEnd = fences.get(at);
            if (h != null) {
                out.heading(h.text(), h.level(), lineNo);
                if (title == null && h.level() == 1 && !h.text().isEmpty()) title = h.text();
                i = start + h.lastLine();
            } else if (fenceEnd != null) {
                out.flush();
                for (; i <= start + fenceEnd; i++) out.line(lines[i], i + 1);
                i--;
                out.flush();
            } else if (lines[i].isBlank() || breaks.contains(at)) {
                out.flush();
            } else {
                out.line(lines[i], lineNo);
            }
        }
        return DocumentLoaders.build(file, DocumentFormat.MARKDOWN, title, Locator.LINE, lines.length, out.blocks(), List.of());
    }

    private static int first(Node n) {
        return n.getSourceSpans().getFirst().getLineIndex();
    }

    private static int last(Node n) {
        List<SourceSpan> spans = n.getSourceSpans();
        return spans.getLast().getLineIndex();
    }

    /** A heading's text: its literal text and code, without the markup around them. */
    private static String text(Heading h) {
        StringBuilder sb = new StringBuilder();
        h.accept(new AbstractVisitor() {
            @Override public void visit(Text t) { sb.append(t.getLiteral()); }
            @Override public void visit(Code c) { sb.append(c.getLiteral()); }
        });
        return sb.toString();
    }
}
