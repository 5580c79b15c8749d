package dev.canopy.app.documents;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * PDF through Apache PDFBox: text page by page, paragraphs from the text layout, sections from the
 * bookmarks. A password-protected file and a scanned file without a text layer are refused with a
 * message saying what to do.
 */
public final class PdfLoader implements DocumentLoader {
    /** A page with fewer letters and digits than this and an image is taken as scanned. */
    static final int MIN_TEXT_CHARS = 16;
    /** PDFBox warns about every substituted font and odd object; the reader only needs our own messages. */
    private static final java.util.logging.Logger PDFBOX_LOG = quiet(java.util.logging.Logger.getLogger("org.apache.pdfbox"));

    private static java.util.logging.Logger quiet(java.util.logging.Logger log) {
        log.setLevel(java.util.logging.Level.SEVERE);
        return log;
    }

    @Override
    public Document load(Path file) throws DocumentException {
        try (PDDocument pdf = open(file)) {
            int pages = pdf.getNumberOfPages();
            PdfOutline outline = PdfOutline.of(pdf);
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setParagraphEnd("\n\n");
            stripper.setLineSeparator("\n");
            List<Block> blocks = new ArrayList<>();
            List<Integer> scanned = new ArrayList<>();
            for (int p = 1; p <= pages; p++) {
                stripper.setStartPage(p);
                stripper.setEndPage(p);
                String text = stripper.getText(pdf);
                if (letters(text) < MIN_TEXT_CHARS && hasImages(pdf.getPage(p - 1))) scanned.add(p);
                for (PdfOutline.Entry e : outline.startingOn(p)) {
                    blocks.add(Block.heading(e.path().getLast(), e.path(), p));
                }
                for (String para : Paragraphs.split(text)) blocks.add(Block.paragraph(para, outline.pathAt(p), p, p));
            }
            joinWordsBrokenAcrossPages(blocks);
            boolean anyText = blocks.stream().anyMatch(b -> b.kind() == BlockKind.PARAGRAPH);
            if (!anyText && !scanned.isEmpty()) {
                throw new DocumentException(DocumentException.Reason.NO_TEXT_LAYER, "This PDF has no text layer (it looks scanned),"
                        + " so there is no text to summarize. Run OCR on it first (for example with ocrmypdf, or your scanner's"
                        + " \"searchable PDF\" option) and open the result.");
            }
            List<String> warnings = new ArrayList<>();
            if (!scanned.isEmpty() && anyText) {
                warnings.add((scanned.size() == 1 ? "Page " : "Pages ") + ranges(scanned)
                        + " have no text layer (scanned) and are left out of the summary; run OCR to include them.");
            }
            String title = pdf.getDocumentInformation().getTitle();
            return DocumentLoaders.build(file, DocumentFormat.PDF, title, Locator.PAGE, pages, blocks, warnings);
        } catch (IOException e) {
            throw new DocumentException(DocumentException.Reason.DAMAGED,
                    "Cannot read " + file.getFileName() + " as a PDF (it may be damaged): " + e.getMessage(), e);
        }
    }

    private static PDDocument open(Path file) throws DocumentException, IOException {
        try {
            return Loader.loadPDF(file.toFile());
        } catch (InvalidPasswordException e) {
            throw new DocumentException(DocumentException.Reason.ENCRYPTED, "This PDF is password-protected, so Canopy cannot"
                    + " read its text. Open it in a PDF viewer with its password and save or print an unprotected copy, then"
                    + " summarize that copy.", e);
        }
    }

    /**
     * "exam-" at the end of one page and "ple ..." at the top of the next: the fragment moves to the
     * next page's paragraph so no word is split between two blocks.
     */
    static void joinWordsBrokenAcrossPages(List<Block> blocks) {
        for (int i = 0; i + 1 < blocks.size(); i++) {
            Block a = blocks.get(i), b = blocks.get(i + 1);
            if (a.kind() != BlockKind.PARAGRAPH || b.kind() != BlockKind.PARAGRAPH || b.from() != a.to() + 1) continue;
            if (!Paragraphs.endsWithHyphenatedWord(a.text()) || !Character.isLowerCase(b.text().charAt(0))) continue;
            int cut = a.text().lastIndexOf(' ') + 1;
            String fragment = a.text().substring(cut, a.text().length() - 1);
            blocks.set(i + 1, Block.paragraph(fragment + b.text(), b.headings(), b.from(), b.to()));
            String rest = a.text().substring(0, cut).strip();
            if (rest.isEmpty()) blocks.remove(i--);
            else blocks.set(i, Block.paragraph(rest, a.headings(), a.from(), a.to()));
        }
    }

    private static int letters(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) if (Character.isLetterOrDigit(s.charAt(i))) n++;
        return n;
    }

    private static boolean hasImages(PDPage page) throws IOException {
        PDResources res = page.getResources();
        if (res == null) return false;
        for (COSName name : res.getXObjectNames()) {
            if (res.isImageXObject(name)) return true;
        }
        return false;
    }

    /** "3, 5–7, 9" from sorted page numbers. */
    static String ranges(List<Integer> pages) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < pages.size(); ) {
            int j = i;
            while (j + 1 < pages.size() && pages.get(j + 1) == pages.get(j) + 1) j++;
            parts.add(i == j ? String.valueOf(pages.get(i)) : pages.get(i) + "–" + pages.get(j));
            i = j + 1;
        }
        return parts.stream().collect(Collectors.joining(", "));
    }
}
