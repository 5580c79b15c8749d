package dev.canopy.app.documents;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown: ATX ({@code ## Title}) and setext (underlined) headings open sections; fenced code stays
 * one block and never yields headings; YAML front matter is skipped (its {@code title:} is used).
 * Cited by line number.
 */
public final class MarkdownLoader implements DocumentLoader {
    private static final Pattern ATX = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*$");
    private static final Pattern SETEXT = Pattern.compile("^ {0,3}(=+|-+)[ \\t]*$");
    private static final Pattern FRONT_TITLE = Pattern.compile("^title:\\s*[\"']?(.*?)[\"']?\\s*$");

    @Override
    public Document load(Path file) throws DocumentException {
        String[] lines = TextFiles.read(file).split("\n", -1);
        LineBlocks out = new LineBlocks();
        String title = null;
        int i = 0;
        if (lines.length > 1 && lines[0].strip().equals("---")) {
            for (int j = 1; j < lines.length; j++) {
                if (lines[j].strip().equals("---") || lines[j].strip().equals("...")) { i = j + 1; break; }
                Matcher t = FRONT_TITLE.matcher(lines[j]);
                if (t.matches()) title = t.group(1);
            }
        }
        String fence = null;
        for (; i < lines.length; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            Matcher f = FENCE.matcher(line);
            if (fence != null) {
                out.line(line, lineNo);
                if (f.matches() && f.group(1).charAt(0) == fence.charAt(0) && f.group(1).length() >= fence.length()) {
                    fence = null;
                    out.flush();
                }
                continue;
            }
            if (f.matches()) {
                out.flush();
                fence = f.group(1);
                out.line(line, lineNo);
                continue;
            }
            Matcher atx = ATX.matcher(line);
            Matcher setext = SETEXT.matcher(line);
            if (atx.matches()) {
                String text = atx.group(2) == null ? "" : atx.group(2);
                out.heading(text, atx.group(1).length(), lineNo);
                if (title == null && atx.group(1).length() == 1) title = text;
            } else if (setext.matches() && out.singleLineParagraph()) {
                String text = out.takeParagraph();
                int level = setext.group(1).charAt(0) == '=' ? 1 : 2;
                out.heading(text, level, lineNo - 1);
                if (title == null && level == 1) title = text;
            } else if (line.isBlank() || setext.matches()) {
                out.flush();
            } else {
                out.line(line, lineNo);
            }
        }
        return DocumentLoaders.build(file, DocumentFormat.MARKDOWN, title, Locator.LINE, lines.length, out.blocks(), List.of());
    }
}
