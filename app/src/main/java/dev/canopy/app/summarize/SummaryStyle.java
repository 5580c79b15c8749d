package dev.canopy.app.summarize;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The shape of the final summary the user asked for. */
public enum SummaryStyle {
    BRIEF(320, "Write a brief summary of the whole document: one or two short paragraphs, at most about 150 words."),
    DETAILED(1200, "Write a detailed summary that follows the document's structure: a short paragraph for each major part,"
            + " keeping the key arguments, findings, names, numbers and conclusions."),
    BULLETS(640, "Write the summary as a list of the key points, one point per line, each line starting with \"- \"."),
    CUSTOM(900, "");

    private final int defaultTokens;
    private final String instruction;

    SummaryStyle(int defaultTokens, String instruction) {
        this.defaultTokens = defaultTokens;
        this.instruction = instruction;
    }

    /** How many tokens the final pass may write when the options do not say. */
    public int defaultTokens() { return defaultTokens; }

    /** The instruction for the final pass; CUSTOM uses the user's own. */
    public String instruction(String custom) {
        if (this != CUSTOM) return instruction;
        if (custom == null || custom.isBlank()) throw new IllegalArgumentException("a custom summary needs an instruction");
        return custom.strip();
    }

    /** Parses "brief", "detailed", "bullets" (or "bullet-points") and "custom", case-insensitively. */
    public static SummaryStyle parse(String s) {
        String k = s.strip().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        if (k.equals("bullet_points") || k.equals("bullet")) k = "bullets";
        for (SummaryStyle v : values()) if (v.name().toLowerCase(Locale.ROOT).equals(k)) return v;
        throw new IllegalArgumentException("style must be one of " + Arrays.stream(values())
                .map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ", not '" + s + "'");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
