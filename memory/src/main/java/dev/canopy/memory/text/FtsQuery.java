package dev.canopy.memory.text;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Builds FTS5 MATCH expressions from free text, quoting every word so user input is never syntax. */
public final class FtsQuery {

    private FtsQuery() {
    }

    /** Any of the content words (OR), or empty when there is none. */
    public static String anyOf(String text) {
        return anyOf(Terms.contentWords(text));
    }

    public static String anyOf(List<String> words) {
        Set<String> unique = new LinkedHashSet<>(words);
        return unique.stream().map(FtsQuery::quote).collect(Collectors.joining(" OR "));
    }

    /**
     * The facts that can be near copies of a text with {@code wordCount} distinct words (stopwords
     * included) at word-set Jaccard >= {@code minJaccard}, from its content words. A near copy B of
     * A holds all but m of A's words with (n - m) / n >= J, so m <= (1 - J) n: at J = 0.9, every
     * content word below 10 words (AND), all but one below 20 (an OR of ANDs); beyond that, any
     * content word ({@link #anyOf}). An AND walks its rarest word's matches, so the cost no longer
     * grows with a common word's: an OR ranks every fact that says "user". Empty when there is no
     * content word.
     */
    public static String nearCopiesOf(List<String> contentWords, int wordCount, double minJaccard) {
        List<String> unique = List.copyOf(new LinkedHashSet<>(contentWords));
        if (unique.isEmpty()) {
            return "";
        }
        int missing = (int) Math.floor((1 - minJaccard) * wordCount + 1e-9);
        if (missing == 0 || unique.size() == 1) {
            return allOf(unique);
        }
        if (missing > 1) {
            return anyOf(unique);
        }
        return IntStream.range(0, unique.size())
                .mapToObj(skip -> "(" + allOf(IntStream.range(0, unique.size()).filter(i -> i != skip)
                        .mapToObj(unique::get).toList()) + ")")
                .collect(Collectors.joining(" OR "));
    }

    private static String allOf(List<String> words) {
        return words.stream().map(FtsQuery::quote).collect(Collectors.joining(" AND "));
    }

    /** All words (AND), the last one as a prefix, for search-as-you-type; empty when there is none. */
    public static String allOfWithPrefix(String text) {
        List<String> words = Terms.words(text);
        if (words.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(quote(words.get(i)));
            if (i == words.size() - 1) {
                sb.append('*');
            }
        }
        return sb.toString();
    }

    private static String quote(String word) {
        return '"' + word.replace("\"", "\"\"") + '"';
    }
}
