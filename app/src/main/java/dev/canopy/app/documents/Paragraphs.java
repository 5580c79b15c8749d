package dev.canopy.app.documents;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Text clean-up shared by the loaders: paragraphs from blank-line-separated text, lines joined into prose. */
final class Paragraphs {
    private static final Pattern BLANK_LINES = Pattern.compile("\\n[ \\t\\x0B\\f\\u00A0]*\\n\\s*");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\u00A0]+");

    private Paragraphs() {}

    /** Splits text at blank lines into paragraphs, each with its lines joined (hyphenation at line ends undone). */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        for (String p : BLANK_LINES.split(text.strip())) {
            String joined = joinLines(p);
            if (!joined.isBlank()) out.add(joined);
        }
        return out;
    }

    /** Joins wrapped lines with spaces; "exam-\nple" becomes "example" when the next line goes on in lower case. */
    static String joinLines(String paragraph) {
        String[] lines = paragraph.split("\n");
        StringBuilder sb = new StringBuilder();
        for (String raw : lines) {
            String line = SPACES.matcher(raw).replaceAll(" ").strip();
            if (line.isEmpty()) continue;
            if (!sb.isEmpty()) {
                if (endsWithHyphenatedWord(sb) && Character.isLowerCase(line.charAt(0))) {
                    sb.setLength(sb.length() - 1);
                } else {
                    sb.append(' ');
                }
            }
            sb.append(line);
        }
        return sb.toString();
    }

    /** True when the text ends with "letter-": a word broken at a line end. */
    static boolean endsWithHyphenatedWord(CharSequence s) {
        int n = s.length();
        return n >= 2 && s.charAt(n - 1) == '-' && Character.isLetter(s.charAt(n - 2));
    }

    /** Collapses runs of spaces and tabs, keeps line breaks. */
    static String tidy(String s) {
        return SPACES.matcher(s).replaceAll(" ").strip();
    }
}
