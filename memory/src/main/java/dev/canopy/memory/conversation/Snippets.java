package dev.canopy.memory.conversation;

import dev.canopy.memory.text.Terms;
import java.util.List;
import java.util.Locale;

/** Search-result snippets: a window of words around the first match, matches in [brackets]. */
final class Snippets {

    private static final int WINDOW = 16;

    private Snippets() {
    }

    static String of(String content, String query) {
        List<String> wanted = Terms.words(query);
        String[] words = content.strip().split("\\s+");
        int first = -1;
        boolean[] hit = new boolean[words.length];
        for (int i = 0; i < words.length; i++) {
            String w = String.join("", Terms.words(words[i])).toLowerCase(Locale.ROOT);
            for (String q : wanted) {
                if (!w.isEmpty() && (w.startsWith(q) || (w.length() >= 4 && q.startsWith(w)))) {
                    hit[i] = true;
                }
            }
            if (hit[i] && first < 0) {
                first = i;
            }
        }
        int from = Math.max(0, (first < 0 ? 0 : first) - WINDOW / 4);
        int to = Math.min(words.length, from + WINDOW);
        StringBuilder sb = new StringBuilder(from > 0 ? "…" : "");
        for (int i = from; i < to; i++) {
            if (i > from) {
                sb.append(' ');
            }
            sb.append(hit[i] ? "[" + words[i] + "]" : words[i]);
        }
        return sb.append(to < words.length ? "…" : "").toString();
    }
}
