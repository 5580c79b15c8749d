package dev.canopy.app.summarize;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/** Splits text that is too long for one chunk: into sentences, and a sentence too long into runs of whole words. */
final class TextPieces {
    private TextPieces() {}

    /** Sentences of {@code text}, each stripped, none empty. */
    static List<String> sentences(String text) {
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(text);
        List<String> out = new ArrayList<>();
        for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String s = text.substring(start, end).strip();
            if (!s.isEmpty()) out.add(s);
        }
        return out;
    }

    /**
     * Runs of whole words of at most {@code limit} tokens each. A single run of non-space characters longer
     * than the limit (a data blob, not a word) is the only thing ever cut, at a character boundary.
     */
    static List<String> wordRuns(String text, int limit, ToIntFunction<String> count) {
        List<String> out = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        int runTokens = 0;
        for (String word : text.strip().split("\\s+")) {
            int t = count.applyAsInt(word);
            if (t > limit) {
                if (!run.isEmpty()) { out.add(run.toString()); run.setLength(0); runTokens = 0; }
                out.addAll(hardSplit(word, limit, count));
                continue;
            }
            if (!run.isEmpty() && runTokens + t > limit) {
                out.add(run.toString());
                run.setLength(0);
                runTokens = 0;
            }
            if (!run.isEmpty()) run.append(' ');
            run.append(word);
            runTokens += t;
        }
        if (!run.isEmpty()) out.add(run.toString());
        return out;
    }

    private static List<String> hardSplit(String blob, int limit, ToIntFunction<String> count) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < blob.length()) {
            int lo = start + 1, hi = blob.length();
            while (lo < hi) {                       // the longest prefix that fits
                int mid = (lo + hi + 1) >>> 1;
                if (count.applyAsInt(blob.substring(start, mid)) <= limit) lo = mid; else hi = mid - 1;
            }
            int end = lo;
            if (end < blob.length() && Character.isLowSurrogate(blob.charAt(end)) && end - 1 > start) end--;
            out.add(blob.substring(start, end));
            start = end;
        }
        return out;
    }
}
