package dev.canopy.memory.text;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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
