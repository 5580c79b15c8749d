package dev.canopy.app.documents;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The file formats Canopy reads, by file extension. */
public enum DocumentFormat {
    PDF("PDF", "pdf"),
    DOCX("Word", "docx"),
    HTML("HTML", "html", "htm", "xhtml"),
    MARKDOWN("Markdown", "md", "markdown", "mdown", "mkd"),
    TEXT("plain text", "txt", "text", "log", "csv", "tsv", "rst", "org", "adoc");

    private final String label;
    private final List<String> extensions;

    DocumentFormat(String label, String... extensions) {
        this.label = label;
        this.extensions = List.of(extensions);
    }

    public String label() { return label; }
    public List<String> extensions() { return extensions; }

    /** The format of {@code file} by its extension, if Canopy reads it. */
    public static Optional<DocumentFormat> of(Path file) {
        String ext = extension(file);
        return Arrays.stream(values()).filter(f -> f.extensions.contains(ext)).findFirst();
    }

    static String extension(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** "PDF, Word (.docx), HTML, Markdown and plain text": for messages. */
    public static String supportedList() {
        return "PDF (.pdf), Word (.docx), HTML (.html, .htm), Markdown (.md) and plain text (.txt)";
    }
}
