package dev.canopy.app.documents;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Loads any supported document by its extension: the entry point the UI and the CLI call. */
public final class DocumentLoaders {
    /** Larger files are refused: no laptop summarizes them in reasonable time, and they are usually not text. */
    public static final long MAX_BYTES = 1L << 30;

    private DocumentLoaders() {}

    /** Loads {@code file} with the loader for its format. */
    public static Document load(Path file) throws DocumentException {
        return forFile(file).load(file);
    }

    /** The loader for {@code file}'s format; checks first that it exists, is not empty and is not too large. */
    public static DocumentLoader forFile(Path file) throws DocumentException {
        if (!Files.isRegularFile(file)) {
            throw new DocumentException(DocumentException.Reason.NOT_FOUND, "File not found: " + file);
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DocumentException(DocumentException.Reason.NOT_FOUND, "Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) throw new DocumentException(DocumentException.Reason.EMPTY, "The file " + file.getFileName() + " is empty.");
        if (size > MAX_BYTES) {
            throw new DocumentException(DocumentException.Reason.TOO_LARGE, "The file " + file.getFileName()
                    + " is " + size / (1 << 20) + " MiB; Canopy reads documents up to " + MAX_BYTES / (1 << 20) + " MiB.");
        }
        DocumentFormat format = DocumentFormat.of(file).orElseThrow(() -> unsupported(file));
        return switch (format) {
            case PDF -> new PdfLoader();
            case DOCX -> new DocxLoader();
            case HTML -> new HtmlLoader();
            case MARKDOWN -> new MarkdownLoader();
            case TEXT -> new PlainTextLoader();
        };
    }

    private static DocumentException unsupported(Path file) {
        String ext = DocumentFormat.extension(file);
        String what = ext.isEmpty() ? "files without an extension" : "." + ext + " files";
        String hint = switch (ext) {
            case "doc", "odt", "rtf", "pages" -> " Save it as PDF or .docx first.";
            case "epub", "mobi" -> " Convert it to PDF or HTML first.";
            case "png", "jpg", "jpeg", "tif", "tiff" -> " For a scanned page, run OCR into a PDF first.";
            default -> "";
        };
        return new DocumentException(DocumentException.Reason.UNSUPPORTED,
                "Canopy can't read " + what + ". It reads " + DocumentFormat.supportedList() + "." + hint);
    }

    /** Builds the document, refusing one without any text. Shared by the loaders. */
    static Document build(Path file, DocumentFormat format, String title, Locator locator, int places,
                          List<Block> blocks, List<String> warnings) throws DocumentException {
        if (blocks.stream().noneMatch(b -> b.kind() == BlockKind.PARAGRAPH)) {
            throw new DocumentException(DocumentException.Reason.NO_TEXT,
                    "No text found in " + file.getFileName() + ": there is nothing to summarize.");
        }
        String t = title == null || title.isBlank() ? fileTitle(file) : title.strip();
        return new Document(t, file, format, locator, Math.max(1, places), blocks, sha256(file), warnings);
    }

    static String fileTitle(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name).replace('_', ' ').strip();
    }

    /** SHA-256 of the file's bytes, lower-case hex. */
    public static String sha256(Path file) throws DocumentException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest()).toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new DocumentException(DocumentException.Reason.NOT_FOUND, "Cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
