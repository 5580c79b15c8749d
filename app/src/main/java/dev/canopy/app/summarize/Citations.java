package dev.canopy.app.summarize;

import dev.canopy.app.documents.Locator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps every statement of a summary traceable to its source places. Statements are paragraphs and
 * list items. A citation the model wrote is kept when it lies inside what the statement's inputs cover;
 * a statement without a valid one is given the citation of the input it shares the most words with
 * (or the inputs' whole range when it shares none). The UI can parse the result back with {@link #statements}.
 */
public final class Citations {
    static final Pattern CITE = Pattern.compile(
            "\\s*\\[(?:p\\.|pp\\.|pages?|lines?|§)\\s*(\\d{1,7})(?:\\s*[–—-]\\s*(\\d{1,7}))?\\]", Pattern.CASE_INSENSITIVE);
    private static final Pattern ITEM = Pattern.compile("^\\s*(?:[-*•]|\\d{1,3}[.)])\\s+.*");
    private static final Pattern HEADING = Pattern.compile("^\\s*#{1,6}\\s.*");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]{4,}");

    private Citations() {}

    /** A statement's text (citations removed) and the places it comes from. */
    public record Statement(String text, SourceSpan span) {}

    /** Statements of {@code text}: each takes the range its citations cover, or {@code fallback} without any. */
    public static List<Statement> statements(String text, SourceSpan fallback) {
        List<Statement> out = new ArrayList<>();
        for (String unit : units(text)) {
            if (HEADING.matcher(unit).matches()) continue;
            List<SourceSpan> cited = cited(unit, fallback);
            String plain = strip(unit);
            if (!plain.isBlank()) out.add(new Statement(plain, cited.isEmpty() ? fallback : SourceSpan.covering(cited)));
        }
        return out;
    }

    /** The statements a summary offers as evidence to the level above it. */
    static List<Statement> evidence(Summary s) {
        return statements(s.text(), s.span());
    }

    /** {@code output} with a valid citation at the end of every statement (headings excepted). */
    static String attribute(String output, List<Statement> evidence, SourceSpan allowed, Locator locator) {
        List<String> done = new ArrayList<>();
        for (String unit : units(output)) {
            if (unit.isBlank() || HEADING.matcher(unit).matches()) { done.add(unit); continue; }
            List<SourceSpan> valid = cited(unit, allowed);
            String plain = strip(unit).stripTrailing();
            if (plain.isBlank()) continue;
            SourceSpan span = valid.isEmpty() ? bestMatch(plain, evidence, allowed) : SourceSpan.covering(valid);
            done.add(plain + " " + span.cite(locator));
        }
        return joinUnits(done);
    }

    /**
     * A citation as it stands in a text, for the UI to make it a link.
     *
     * @param start index of its opening bracket
     * @param end   index just after its closing bracket
     * @param span  the places it names
     */
    public record Found(int start, int end, SourceSpan span) {}

    /** Every well-formed citation in {@code text}, in order. */
    public static List<Found> find(String text) {
        List<Found> out = new ArrayList<>();
        if (text == null) return out;
        Matcher m = CITE.matcher(text);
        while (m.find()) {
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            if (from >= 1 && to >= from) out.add(new Found(text.indexOf('[', m.start()), m.end(), new SourceSpan(from, to)));
        }
        return out;
    }

    /** The text without citations. */
    public static String strip(String text) {
        return CITE.matcher(text).replaceAll("");
    }

    private static List<SourceSpan> cited(String unit, SourceSpan allowed) {
        List<SourceSpan> out = new ArrayList<>();
        Matcher m = CITE.matcher(unit);
        while (m.find()) {
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            if (from >= 1 && to >= from && allowed.contains(new SourceSpan(from, to))) out.add(new SourceSpan(from, to));
        }
        return out;
    }

    private static SourceSpan bestMatch(String statement, List<Statement> evidence, SourceSpan allowed) {
        Set<String> words = words(statement);
        double best = 0;
        SourceSpan span = allowed;
        for (Statement e : evidence) {
            Set<String> ew = words(e.text());
            if (ew.isEmpty()) continue;
            long shared = words.stream().filter(ew::contains).count();
            double score = shared / Math.sqrt(ew.size());
            if (score > best && allowed.contains(e.span())) {
                best = score;
                span = e.span();
            }
        }
        return span;
    }

    private static Set<String> words(String s) {
        Set<String> out = new HashSet<>();
        Matcher m = WORD.matcher(s.toLowerCase(Locale.ROOT));
        while (m.find()) out.add(m.group());
        return out;
    }

    /** Splits text into statements: paragraphs (at blank lines) and list items; a blank unit stands for a blank line. */
    static List<String> units(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : text.strip().split("\n", -1)) {
            boolean starts = line.isBlank() || ITEM.matcher(line).matches() || HEADING.matcher(line).matches();
            if (starts && !cur.isEmpty()) { out.add(cur.toString()); cur.setLength(0); }
            if (line.isBlank()) {
                if (!out.isEmpty() && !out.getLast().isBlank()) out.add("");
                continue;
            }
            if (!cur.isEmpty()) cur.append('\n');
            cur.append(line.stripTrailing());
            if (HEADING.matcher(line).matches()) { out.add(cur.toString()); cur.setLength(0); }
        }
        if (!cur.isEmpty()) out.add(cur.toString());
        while (!out.isEmpty() && out.getLast().isBlank()) out.removeLast();
        return out;
    }

    private static String joinUnits(List<String> units) {
        StringBuilder sb = new StringBuilder();
        for (String u : units) {
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(u);
        }
        return sb.toString().strip();
    }
}
