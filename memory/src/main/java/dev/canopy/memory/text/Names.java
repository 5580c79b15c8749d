package dev.canopy.memory.text;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A cheap named-entity guess for no-model mode: runs of capitalized words that do not start a
 * sentence and are not common words ("I", weekdays are kept: they are names too).
 */
public final class Names {

    private static final Set<String> COMMON = Set.of("i", "im", "ive", "id", "ill", "the", "a", "an", "my", "oh",
            "ok", "okay", "yes", "no", "hey", "hi", "thanks", "wow", "lol", "omg", "btw", "tv");

    private Names() {
    }

    public static List<String> in(String text) {
        Set<String> out = new LinkedHashSet<>();
        List<String> run = new ArrayList<>();
        boolean sentenceStart = true;
        for (String token : text.split("\\s+")) {
            String word = token.replaceAll("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$", "");
            word = word.replaceAll("'s$|\u2019s$", "");
            boolean capital = !word.isEmpty() && Character.isUpperCase(word.charAt(0)) && word.length() > 1
                    && !COMMON.contains(word.toLowerCase()) && !Terms.isStopword(word);
            if (capital && !sentenceStart) {
                run.add(word);
            } else {
                flush(run, out);
            }
            sentenceStart = token.isEmpty() || token.endsWith(".") || token.endsWith("!") || token.endsWith("?");
            if (!capital || sentenceStart) {
                flush(run, out);
            }
        }
        flush(run, out);
        return List.copyOf(out);
    }

    private static void flush(List<String> run, Set<String> out) {
        if (!run.isEmpty()) {
            out.add(String.join(" ", run));
            run.clear();
        }
    }
}
