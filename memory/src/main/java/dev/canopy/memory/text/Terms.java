package dev.canopy.memory.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Word splitting shared by keyword extraction, FTS5 queries and the BM25 baseline: lower case,
 * runs of letters and digits (apostrophes inside words are dropped, so "I'm" is "im").
 */
public final class Terms {

    private static final Set<String> STOPWORDS = Set.of(
            "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
            "aren", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
            "by", "can", "cannot", "could", "couldn", "did", "didn", "do", "does", "doesn", "doing", "don",
            "down", "during", "each", "few", "for", "from", "further", "had", "hadn", "has", "hasn", "have",
            "haven", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i",
            "id", "if", "ill", "im", "in", "into", "is", "isn", "it", "its", "itself", "ive", "just", "let",
            "lets", "me", "more", "most", "mustn", "my", "myself", "no", "nor", "not", "now", "of", "off",
            "on", "once", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own",
            "same", "shan", "she", "shes", "should", "shouldn", "so", "some", "such", "than", "that", "thats",
            "the", "their", "theirs", "them", "themselves", "then", "there", "theres", "these", "they",
            "theyre", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "wasn",
            "we", "were", "weren", "what", "whats", "when", "where", "which", "while", "who", "whom", "why",
            "will", "with", "won", "would", "wouldn", "you", "youd", "youll", "your", "youre", "yours",
            "yourself", "yourselves", "youve", "s", "t", "d", "ll", "m", "re", "ve", "yeah", "oh", "hey",
            "hi", "wow", "ok", "okay", "really", "thanks", "thank", "got", "get", "yes", "much", "like",
            "lot", "gonna", "well", "sure", "things", "thing", "one", "ever", "still", "even");

    private Terms() {
    }

    /** All words of the text, in order, lower case. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            if (Character.isLetterOrDigit(ch)) {
                cur.append(Character.toLowerCase(ch));
            } else if ((ch == '\'' || ch == '\u2019') && !cur.isEmpty() && i + 1 < n
                    && Character.isLetter(text.charAt(i + 1))) {
                continue; // "don't" -> "dont"
            } else if (!cur.isEmpty()) {
                out.add(cur.toString());
                cur.setLength(0);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Words that carry meaning: no stopwords, no single letters. */
    public static List<String> contentWords(String text) {
        List<String> out = new ArrayList<>();
        for (String w : words(text)) {
            if (isContent(w)) {
                out.add(w);
            }
        }
        return out;
    }

    public static boolean isContent(String word) {
        return word.length() > 1 && !STOPWORDS.contains(word);
    }

    public static boolean isStopword(String word) {
        return STOPWORDS.contains(word.toLowerCase(Locale.ROOT));
    }

    /** Lower case, words joined by single spaces: the key for exact de-duplication. */
    public static String normalize(String text) {
        return String.join(" ", words(text));
    }
}
