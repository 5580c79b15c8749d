package dev.canopy.app.documents;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PdfLoaderTest {
    @TempDir
    Path dir;

    @Test
    void keepsPagesParagraphsAndBookmarkSections() throws Exception {
        List<List<String>> pages = TestTexts.pages(7, 4, 3, 3);
        Path pdf = TestPdfs.textPdf(dir.resolve("report.pdf"), pages, Map.of("Introduction", 1, "Results", 3));

        Document doc = DocumentLoaders.load(pdf);

        assertThat(doc.format()).isEqualTo(DocumentFormat.PDF);
        assertThat(doc.locator()).isEqualTo(Locator.PAGE);
        assertThat(doc.places()).isEqualTo(4);
        assertThat(doc.title()).isEqualTo("report");
        assertThat(doc.contentHash()).hasSize(64);
        List<Block> paras = doc.blocks().stream().filter(b -> b.kind() == BlockKind.PARAGRAPH).toList();
        assertThat(paras).hasSize(12);
        for (int p = 1; p <= 4; p++) {
            int page = p;
            List<String> onPage = paras.stream().filter(b -> b.from() == page).map(Block::text).toList();
            assertThat(onPage).as("paragraphs of page %d", p).containsExactlyElementsOf(pages.get(p - 1));
        }
        assertThat(doc.blocks()).filteredOn(b -> b.kind() == BlockKind.HEADING).extracting(Block::text)
                .containsExactly("Introduction", "Results");
        assertThat(paras.stream().filter(b -> b.from() == 2).findFirst().orElseThrow().headings()).containsExactly("Introduction");
        assertThat(paras.stream().filter(b -> b.from() == 4).findFirst().orElseThrow().headings()).containsExactly("Results");
    }

    @Test
    void aWordHyphenatedAcrossAPageBreakStaysWhole() throws Exception {
        List<List<String>> pages = List.of(List.of("The harbor was rebuilt after the long exam-"), List.of("ination of the old bridge."));
        Document doc = DocumentLoaders.load(TestPdfs.textPdf(dir.resolve("hyphen.pdf"), pages, Map.of()));

        List<String> words = new ArrayList<>();
        doc.blocks().forEach(b -> words.addAll(TestTexts.words(b.text())));
        assertThat(words).contains("examination").doesNotContain("exam-", "ination");
        assertThat(doc.blocks().getLast().from()).isEqualTo(2);
    }

    @Test
    void aPasswordProtectedPdfGivesAClearMessage() throws Exception {
        Path pdf = TestPdfs.encryptedPdf(dir.resolve("locked.pdf"));

        assertThatThrownBy(() -> DocumentLoaders.load(pdf))
                .isInstanceOf(DocumentException.class)
                .hasMessageStartingWith("This PDF is password-protected")
                .satisfies(e -> assertThat(((DocumentException) e).reason()).isEqualTo(DocumentException.Reason.ENCRYPTED));
    }

    @Test
    void anImageOnlyPdfSaysItNeedsOcr() throws Exception {
        Path pdf = TestPdfs.imageOnlyPdf(dir.resolve("scan.pdf"), 3);

        assertThatThrownBy(() -> DocumentLoaders.load(pdf))
                .isInstanceOf(DocumentException.class)
                .hasMessageContaining("no text layer").hasMessageContaining("OCR")
                .satisfies(e -> assertThat(((DocumentException) e).reason()).isEqualTo(DocumentException.Reason.NO_TEXT_LAYER));
    }

    @Test
    void aScannedPageAmongTextPagesIsReportedAndLeftOut() throws Exception {
        Path pdf = TestPdfs.mixedPdf(dir.resolve("mixed.pdf"), TestTexts.pages(3, 3, 2, 2), 2);

        Document doc = DocumentLoaders.load(pdf);

        assertThat(doc.places()).isEqualTo(4);
        assertThat(doc.blocks()).noneMatch(b -> b.from() == 2);
        assertThat(doc.warnings()).singleElement().asString().contains("Page 2").contains("no text layer");
    }

    @Test
    void aDamagedPdfIsReportedAsSuch() throws Exception {
        Path pdf = Files.writeString(dir.resolve("broken.pdf"), "this is not a pdf at all");

        assertThatThrownBy(() -> DocumentLoaders.load(pdf)).isInstanceOf(DocumentException.class)
                .hasMessageContaining("broken.pdf").hasMessageContaining("as a PDF");
    }
}
