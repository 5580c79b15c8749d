package dev.canopy.app.documents;

import java.nio.file.Path;
import java.util.List;

/** Plain text: paragraphs between blank lines, cited by line number. */
public final class PlainTextLoader implements DocumentLoader {
    @Override
    public Document load(Path file) throws DocumentException {
        String[] lines = TextFiles.read(file).split("\n", -1);
        LineBlocks out = new LineBlocks();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) out.flush();
            else out.line(lines[i], i + 1);
        }
        return DocumentLoaders.build(file, DocumentFormat.TEXT, null, Locator.LINE, lines.length, out.blocks(), List.of());
    }
}
