package dev.canopy.app.documents;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class TextFormatsTest {
    @TempDir
    Path dir;

    @Test
    void plainTextParagraphsAreCitedByLine() throws Exception {
        Path f = Files.writeString(dir.resolve("notes.txt"), "First line\nsecond line\n\n\nThird paragraph\n");
        Document doc = DocumentLoaders.load(f);

        assertThat(doc.locator()).isEqualTo(Locator.LINE);
        assertThat(doc.blocks()).extracting(Block::text).containsExactly("First line\nsecond line", "Third paragraph");
        assertThat(doc.blocks()).extracting(Block::from, Block::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 2), org.assertj.core.groups.Tuple.tuple(5, 5));
        assertThat(doc.title()).isEqualTo("notes");
    }

    @Test
    void latin1TextIsDecoded() throws Exception {
        Path f = dir.resolve("old.txt");
        Files.write(f, "Caf\u00e9 cr\u00e8me".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(DocumentLoaders.load(f).blocks().getFirst().text()).isEqualTo("Café crème");
    }

    @Test
    void markdownHeadingsOpenSectionsAndCodeFencesAreNotHeadings() throws Exception {
        String md = """
                ---
                title: "Field Guide"
                ---
                # Birds

                Intro to birds.

                ## Owls
                Owls hunt at night.

                ```
                # not a heading
                ```

                Setext Title
                ============

                Closing words.
                """;
        Document doc = DocumentLoaders.load(Files.writeString(dir.resolve("guide.md"), md));

        assertThat(doc.title()).isEqualTo("Field Guide");
        assertThat(doc.blocks()).filteredOn(b -> b.kind() == BlockKind.HEADING).extracting(Block::text)
                .containsExactly("Birds", "Owls", "Setext Title");
        Block owls = doc.blocks().stream().filter(b -> b.text().equals("Owls hunt at night.")).findFirst().orElseThrow();
        assertThat(owls.headings()).containsExactly("Birds", "Owls");
        assertThat(owls.from()).isEqualTo(9);
        Block code = doc.blocks().stream().filter(b -> b.text().contains("not a heading")).findFirst().orElseThrow();
        assertThat(code.kind()).isEqualTo(BlockKind.PARAGRAPH);
        Block closing = doc.blocks().getLast();
        assertThat(closing.headings()).containsExactly("Setext Title");
    }

    @Test
    void htmlSectionsFollowHeadingsAndScriptsAreDropped() throws Exception {
        String html = """
                <html><head><title>Annual Report</title><script>var x = 'hidden code';</script></head>
                <body><nav>Home | About</nav>
                <p>Opening remarks.</p>
                <h1>Finance</h1><p>Revenue <b>grew</b> by 4%.</p><ul><li>Costs fell.</li><li>Cash rose.</li></ul>
                <h2>Outlook</h2><p>Stable.</p><script>alert('x')</script>
                <table><tr><td>Q1</td><td>10</td></tr></table>
                </body></html>
                """;
        Document doc = DocumentLoaders.load(Files.writeString(dir.resolve("report.html"), html));

        assertThat(doc.title()).isEqualTo("Annual Report");
        assertThat(doc.locator()).isEqualTo(Locator.SECTION);
        assertThat(doc.places()).isEqualTo(3);
        assertThat(doc.blocks()).extracting(Block::text)
                .containsExactly("Opening remarks.", "Finance", "Revenue grew by 4%.", "Costs fell.", "Cash rose.",
                        "Outlook", "Stable.", "Q1 | 10");
        assertThat(doc.blocks()).extracting(Block::from).containsExactly(1, 2, 2, 2, 2, 3, 3, 3);
        assertThat(doc.blocks().getLast().headings()).containsExactly("Finance", "Outlook");
        assertThat(doc.blocks()).noneMatch(b -> b.text().contains("hidden") || b.text().contains("Home"));
    }

    @Test
    void docxHeadingsAndRecordedPageBreaksAreKept() throws Exception {
        String body = para("Heading1", "Chapter One") + para(null, "The first page text.")
                + "<w:p><w:r><w:lastRenderedPageBreak/><w:t>Second page text.</w:t></w:r></w:p>"
                + para("Heading2", "Details") + "<w:p><w:r><w:t xml:space=\"preserve\">Tab</w:t><w:tab/><w:t>bed.</w:t></w:r>"
                + "<w:del><w:r><w:delText>removed</w:delText></w:r></w:del></w:p>"
                + "<w:p><w:r><w:br w:type=\"page\"/><w:t>Third page.</w:t></w:r></w:p>";
        Path f = docx(dir.resolve("book.docx"), body, "My Book");

        Document doc = DocumentLoaders.load(f);

        assertThat(doc.title()).isEqualTo("My Book");
        assertThat(doc.locator()).isEqualTo(Locator.PAGE);
        assertThat(doc.places()).isEqualTo(3);
        assertThat(doc.blocks()).extracting(Block::text)
                .containsExactly("Chapter One", "The first page text.", "Second page text.", "Details", "Tab\tbed.", "Third page.");
        assertThat(doc.blocks()).extracting(Block::from).containsExactly(1, 1, 2, 2, 2, 3);
        assertThat(doc.blocks().get(4).headings()).containsExactly("Chapter One", "Details");
    }

    @Test
    void docxWithoutPageInformationIsCitedBySection() throws Exception {
        Path f = docx(dir.resolve("plain.docx"), para(null, "Preface.") + para("Heading1", "A") + para(null, "Text A.")
                + para("Heading1", "B") + para(null, "Text B."), null);
        Document doc = DocumentLoaders.load(f);

        assertThat(doc.locator()).isEqualTo(Locator.SECTION);
        assertThat(doc.blocks()).extracting(Block::from).containsExactly(1, 2, 2, 3, 3);
        assertThat(doc.title()).isEqualTo("A");
    }

    @Test
    void aZipWithoutWordPartsIsReportedAsDamaged() throws Exception {
        Path f = dir.resolve("fake.docx");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry("hello.txt"));
            z.write("hi".getBytes(StandardCharsets.UTF_8));
        }
        try {
            DocumentLoaders.load(f);
            throw new AssertionError("expected failure");
        } catch (DocumentException e) {
            assertThat(e.reason()).isEqualTo(DocumentException.Reason.DAMAGED);
            assertThat(e.getMessage()).contains("fake.docx").contains("word/document.xml");
        }
    }

    private static String para(String style, String text) {
        String ppr = style == null ? "" : "<w:pPr><w:pStyle w:val=\"" + style + "\"/></w:pPr>";
        return "<w:p>" + ppr + "<w:r><w:t>" + text + "</w:t></w:r></w:p>";
    }

    static Path docx(Path f, String body, String title) throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\""
                + DocxLoader.W + "\"><w:body>" + body + "</w:body></w:document>";
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("word/document.xml"));
            z.write(xml.getBytes(StandardCharsets.UTF_8));
            if (title != null) {
                z.putNextEntry(new ZipEntry("docProps/core.xml"));
                z.write(("<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
                        + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>" + title + "</dc:title></cp:coreProperties>")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        return f;
    }
}
