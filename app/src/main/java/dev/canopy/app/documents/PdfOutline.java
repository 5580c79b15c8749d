package dev.canopy.app.documents;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A PDF's bookmarks as section starts: which heading path each page lies under. */
final class PdfOutline {
    private static final int MAX_DEPTH = 3;
    private static final int MAX_ITEMS = 5000;

    /** A bookmark: its title path (outermost first) and the 1-based page it points to. */
    record Entry(List<String> path, int page) {}

    private final List<Entry> entries;

    private PdfOutline(List<Entry> entries) {
        this.entries = entries;
    }

    static PdfOutline of(PDDocument doc) {
        List<Entry> out = new ArrayList<>();
        PDDocumentOutline outline = doc.getDocumentCatalog().getDocumentOutline();
        if (outline != null) {
            try {
                walk(doc, outline, new ArrayList<>(), out);
            } catch (IOException | RuntimeException broken) {
                // A damaged outline only costs us the section names.
            }
        }
        out.sort(Comparator.comparingInt(Entry::page));
        return new PdfOutline(List.copyOf(out));
    }

    private static void walk(PDDocument doc, PDOutlineNode node, List<String> path, List<Entry> out) throws IOException {
        for (PDOutlineItem item : node.children()) {
            if (out.size() >= MAX_ITEMS) return;
            String title = item.getTitle() == null ? "" : Paragraphs.tidy(item.getTitle());
            PDPage page = item.findDestinationPage(doc);
            int index = page == null ? -1 : doc.getPages().indexOf(page);
            List<String> here = new ArrayList<>(path);
            here.add(title);
            if (index >= 0 && !title.isEmpty()) out.add(new Entry(List.copyOf(here), index + 1));
            if (here.size() < MAX_DEPTH) walk(doc, item, here, out);
        }
    }

    /** Bookmarks that start on {@code page}, in outline order. */
    List<Entry> startingOn(int page) {
        return entries.stream().filter(e -> e.page() == page).toList();
    }

    /** The heading path in force on {@code page}: the last bookmark at or before it. */
    List<String> pathAt(int page) {
        List<String> path = List.of();
        for (Entry e : entries) {
            if (e.page() > page) break;
            path = e.path();
        }
        return path;
    }
}
