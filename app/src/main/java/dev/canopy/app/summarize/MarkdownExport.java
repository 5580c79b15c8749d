package dev.canopy.app.summarize;

import dev.canopy.app.documents.Block;
import dev.canopy.app.documents.BlockKind;
import dev.canopy.app.documents.Document;
import dev.canopy.app.documents.Locator;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A summary as a Markdown file: the summary with its citations, notes, then every part summary under
 * its citation so each statement can be followed back to the part and from there to the pages.
 */
public final class MarkdownExport {
    private MarkdownExport() {}

    public static String render(SummaryResult r) {
        Document d = r.document();
        StringBuilder md = new StringBuilder();
        md.append("# Summary of ").append(escape(d.title())).append("\n\n");
        md.append("> Source: ").append(escape(d.source().getFileName().toString())).append(" · ").append(d.format().label())
                .append(" · ").append(d.places()).append(' ').append(d.locator().noun())
                .append(" · ").append(r.stats().chunks()).append(r.stats().chunks() == 1 ? " part" : " parts")
                .append(" · ").append(r.stats().levels()).append(r.stats().levels() == 1 ? " merge level" : " merge levels").append('\n');
        md.append("> Model: ").append(escape(r.modelName())).append(" · Style: ").append(r.options().style().label());
        if (!r.options().instruction().isEmpty() && r.options().style() == SummaryStyle.CUSTOM) {
            md.append(" (\"").append(escape(r.options().instruction())).append("\")");
        }
        md.append(" · ").append(LocalDate.now()).append("\n\n");
        md.append(r.completed() ? r.text() : "*The summary was cancelled before it was finished.*").append("\n");
        if (!r.notes().isEmpty()) {
            md.append("\n## Notes\n\n");
            r.notes().forEach(n -> md.append("- ").append(n).append('\n'));
        }
        if (!r.chunkSummaries().isEmpty()) {
            md.append("\n## Part summaries\n");
            for (Summary s : r.chunkSummaries()) {
                md.append("\n### ").append(s.span().cite(d.locator())).append("\n\n")
                        .append(s.text().isBlank() ? "*(the model wrote no text for this part)*" : s.text().strip());
                if (s.cutShort()) md.append(" *(cut short at its length limit)*");
                md.append('\n');
            }
        }
        if (d.locator() == Locator.SECTION) {
            md.append("\n## Sections\n\n| § | Heading |\n|---|---|\n");
            sections(d).forEach((n, h) -> md.append("| ").append(n).append(" | ").append(escape(h).replace("|", "\\|")).append(" |\n"));
        }
        return md.toString();
    }

    /** Section number → heading path, for documents cited by section. */
    static Map<Integer, String> sections(Document d) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (Block b : d.blocks()) {
            if (b.kind() == BlockKind.HEADING) out.putIfAbsent(b.from(), String.join(" > ", b.headings()));
            else out.putIfAbsent(b.from(), b.headings().isEmpty() ? "(before the first heading)" : String.join(" > ", b.headings()));
        }
        return out;
    }

    private static String escape(String s) {
        return s.replace("\n", " ").replace("<", "&lt;");
    }
}
