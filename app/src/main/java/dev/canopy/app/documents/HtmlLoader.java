package dev.canopy.app.documents;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * HTML: headings (h1–h6) open sections, block elements make paragraphs; scripts, styles and
 * navigation are left out. Sections are numbered in reading order and cited as {@code [§ n]}.
 */
public final class HtmlLoader implements DocumentLoader {
    private static final Set<String> SKIP = Set.of("script", "style", "noscript", "template", "svg", "nav",
            "iframe", "object", "canvas", "head", "button", "select", "form");

    @Override
    public Document load(Path file) throws DocumentException {
        org.jsoup.nodes.Document html;
        try {
            html = Jsoup.parse(file.toFile(), null);
        } catch (IOException e) {
            throw new DocumentException(DocumentException.Reason.DAMAGED, "Cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
        String title = html.title();
        html.select(String.join(",", SKIP)).remove();
        html.select("[hidden],[aria-hidden=true]").remove();
        Collector c = new Collector();
        html.body().traverse(c);
        c.flush();
        if (title.isBlank()) title = html.select("h1").stream().findFirst().map(Element::text).orElse(null);
        return DocumentLoaders.build(file, DocumentFormat.HTML, title, Locator.SECTION, c.section, c.blocks, List.of());
    }

    /** Walks the DOM, turning text into paragraphs at block boundaries and headings into sections. */
    private static final class Collector implements NodeVisitor {
        final List<Block> blocks = new ArrayList<>();
        final List<String> path = new ArrayList<>();
        final List<Integer> levels = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        int section = 1;
        boolean sectionHasContent;
        int pre;

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode t) {
                text.append(pre > 0 ? t.getWholeText() : t.text());
            } else if (node instanceof Element e) {
                if (e.normalName().equals("br")) text.append('\n');
                else if (e.normalName().equals("td") || e.normalName().equals("th")) { if (!text.isEmpty()) text.append(" | "); }
                else if (e.normalName().equals("pre")) { flush(); pre++; }
                else if (isBreaking(e)) flush();
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (!(node instanceof Element e)) return;
            int level = headingLevel(e);
            if (level > 0) {
                String title = Paragraphs.tidy(text.toString().replace('\n', ' '));
                text.setLength(0);
                if (!title.isEmpty()) heading(title, level);
            } else if (e.normalName().equals("pre")) {
                flush();
                pre--;
            } else if (isBreaking(e)) {
                flush();
            }
        }

        private void heading(String title, int level) {
            if (sectionHasContent) section++;
            sectionHasContent = true;
            while (!levels.isEmpty() && levels.getLast() >= level) {
                levels.removeLast();
                path.removeLast();
            }
            levels.add(level);
            path.add(title);
            blocks.add(Block.heading(title, path, section));
        }

        void flush() {
            String s = pre > 0 ? text.toString().strip() : Paragraphs.tidy(text.toString());
            text.setLength(0);
            if (s.isEmpty()) return;
            blocks.add(Block.paragraph(s, path, section, section));
            sectionHasContent = true;
        }

        private static boolean isBreaking(Element e) {
            String n = e.normalName();
            if (n.equals("td") || n.equals("th")) return false;
            return e.isBlock() || headingLevel(e) > 0 || n.equals("li") || n.equals("tr");
        }

        private static int headingLevel(Element e) {
            String n = e.normalName();
            return n.length() == 2 && n.charAt(0) == 'h' && n.charAt(1) >= '1' && n.charAt(1) <= '6' ? n.charAt(1) - '0' : 0;
        }
    }
}
