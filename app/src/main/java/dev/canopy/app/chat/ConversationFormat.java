package dev.canopy.app.chat;

import java.util.Locale;

/** How a conversation is exported: Markdown to read or share, JSON to import again. */
public enum ConversationFormat {
    MARKDOWN("Markdown", ".md"),
    JSON("JSON", ".json");

    private final String label;
    private final String extension;

    ConversationFormat(String label, String extension) {
        this.label = label;
        this.extension = extension;
    }

    public String label() { return label; }
    public String extension() { return extension; }

    /** A file name for {@code title} in this format: "trip-to-lyon.md". */
    public static String fileName(String title, ConversationFormat f) {
        String base = title.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "-").replaceAll("(^-+|-+$)", "");
        if (base.length() > 60) base = base.substring(0, 60);
        return (base.isEmpty() ? "conversation" : base) + f.extension;
    }
}
