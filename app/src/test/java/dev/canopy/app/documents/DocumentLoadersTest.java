package dev.canopy.app.documents;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentLoadersTest {
    @TempDir
    Path dir;

    private static DocumentException.Reason reasonOf(Path file) {
        try {
            DocumentLoaders.load(file);
            throw new AssertionError("expected a DocumentException for " + file);
        } catch (DocumentException e) {
            return e.reason();
        }
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        assertThat(reasonOf(empty)).isEqualTo(DocumentException.Reason.EMPTY);
        assertThatThrownBy(() -> DocumentLoaders.load(empty)).hasMessage("The file empty.txt is empty.");
    }

    @Test
    void anUnsupportedExtensionNamesWhatIsSupported() throws Exception {
        Path doc = Files.writeString(dir.resolve("old.doc"), "binary word");
        assertThat(reasonOf(doc)).isEqualTo(DocumentException.Reason.UNSUPPORTED);
        assertThatThrownBy(() -> DocumentLoaders.load(doc)).hasMessageContaining("can't read .doc files")
                .hasMessageContaining("PDF").hasMessageContaining(".docx");
    }

    @Test
    void aMissingFileIsNotFound() {
        assertThat(reasonOf(dir.resolve("nope.pdf"))).isEqualTo(DocumentException.Reason.NOT_FOUND);
    }

    @Test
    void whitespaceOnlyTextHasNothingToSummarize() throws Exception {
        Path blank = Files.writeString(dir.resolve("blank.md"), "\n\n   \n# \n");
        assertThat(reasonOf(blank)).isEqualTo(DocumentException.Reason.NO_TEXT);
    }

    @Test
    void theSameBytesGiveTheSameHash() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "Same text.\n");
        Path b = Files.writeString(dir.resolve("b.txt"), "Same text.\n");
        Path c = Files.writeString(dir.resolve("c.txt"), "Other text.\n");
        assertThat(DocumentLoaders.load(a).contentHash()).isEqualTo(DocumentLoaders.load(b).contentHash())
                .isNotEqualTo(DocumentLoaders.load(c).contentHash());
    }
}
