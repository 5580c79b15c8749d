package dev.canopy.app.documents;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.destination.PDPageFitDestination;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Generates the PDFs the tests read: text with bookmarks, password-protected, scanned (image only). */
public final class TestPdfs {
    private static final float MARGIN = 56, SIZE = 11, LEADING = 14;

    private TestPdfs() {}

    /** A text PDF: one page per entry, paragraphs separated by a blank line; bookmarks title → 1-based page. */
    public static Path textPdf(Path out, List<List<String>> pages, Map<String, Integer> bookmarks) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (List<String> paras : pages) {
                PDPage page = new PDPage(PDRectangle.LETTER);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(font, SIZE);
                    cs.setLeading(LEADING);
                    cs.newLineAtOffset(MARGIN, PDRectangle.LETTER.getHeight() - MARGIN);
                    float width = PDRectangle.LETTER.getWidth() - 2 * MARGIN;
                    for (String para : paras) {
                        for (String line : wrap(para, font, width)) {
                            cs.showText(line);
                            cs.newLine();
                        }
                        cs.newLine();
                    }
                    cs.endText();
                }
            }
            if (!bookmarks.isEmpty()) {
                PDDocumentOutline outline = new PDDocumentOutline();
                doc.getDocumentCatalog().setDocumentOutline(outline);
                bookmarks.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> {
                    PDPageFitDestination dest = new PDPageFitDestination();
                    dest.setPage(doc.getPage(e.getValue() - 1));
                    PDOutlineItem item = new PDOutlineItem();
                    item.setTitle(e.getKey());
                    item.setDestination(dest);
                    outline.addLast(item);
                });
            }
            doc.save(out.toFile());
        }
        return out;
    }

    /** A text PDF that opens only with the password "secret". */
    public static Path encryptedPdf(Path out) throws IOException {
        Path plain = textPdf(out.resolveSibling("plain-" + out.getFileName()), List.of(List.of("Confidential text.")), Map.of());
        try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(plain.toFile())) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "secret", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            doc.save(out.toFile());
        }
        return out;
    }

    /** A scanned-looking PDF: every page is one image, no text layer. */
    public static Path imageOnlyPdf(Path out, int pages) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (int p = 0; p < pages; p++) addImagePage(doc);
            doc.save(out.toFile());
        }
        return out;
    }

    /** Text pages with one image-only page inserted at {@code scannedPage} (1-based). */
    public static Path mixedPdf(Path out, List<List<String>> textPages, int scannedPage) throws IOException {
        Path text = textPdf(out.resolveSibling("text-" + out.getFileName()), textPages, Map.of());
        try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(text.toFile())) {
            PDPage img = addImagePage(doc);
            doc.getPages().remove(img);
            doc.getPages().insertBefore(img, doc.getPage(scannedPage - 1));
            doc.save(out.toFile());
        }
        return out;
    }

    private static PDPage addImagePage(PDDocument doc) throws IOException {
        BufferedImage bi = new BufferedImage(200, 260, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = bi.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 200, 260);
        g.setColor(Color.BLACK);
        for (int y = 20; y < 240; y += 12) g.fillRect(20, y, 160, 4);   // "lines of text" as pixels
        g.dispose();
        PDPage page = new PDPage(PDRectangle.LETTER);
        doc.addPage(page);
        PDImageXObject image = LosslessFactory.createFromImage(doc, bi);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
            cs.drawImage(image, 50, 50, 500, 650);
        }
        return page;
    }

    private static List<String> wrap(String text, PDType1Font font, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (!line.isEmpty() && font.getStringWidth(candidate) / 1000 * SIZE > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            } else {
                line.setLength(0);
                line.append(candidate);
            }
        }
        if (!line.isEmpty()) lines.add(line.toString());
        return lines;
    }
}
