package dev.canopy.app.documents;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic filler prose for generated test documents. */
public final class TestTexts {
    private static final String[] ADJ = {"old", "new", "quiet", "bright", "ancient", "busy", "narrow", "wide", "cold", "warm"};
    private static final String[] NOUN = {"harbor", "library", "museum", "village", "bridge", "market", "garden", "station",
            "tower", "valley", "council", "archive", "orchard", "factory", "river"};
    private static final String[] VERB = {"describes", "records", "explains", "measures", "compares", "follows", "reviews", "builds"};

    private TestTexts() {}

    public static String sentence(Random r) {
        return "The " + pick(r, ADJ) + " " + pick(r, NOUN) + " " + pick(r, VERB) + " the " + pick(r, ADJ) + " "
                + pick(r, NOUN) + " in " + (1800 + r.nextInt(220)) + ".";
    }

    public static String paragraph(Random r, int sentences) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            if (i > 0) sb.append(' ');
            sb.append(sentence(r));
        }
        return sb.toString();
    }

    /** {@code pages} pages of {@code parasPerPage} paragraphs each. */
    public static List<List<String>> pages(long seed, int pages, int parasPerPage, int sentencesPerPara) {
        Random r = new Random(seed);
        List<List<String>> out = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            List<String> paras = new ArrayList<>();
            for (int i = 0; i < parasPerPage; i++) paras.add(paragraph(r, sentencesPerPara));
            out.add(paras);
        }
        return out;
    }

    /** Whitespace-separated words of {@code text}. */
    public static List<String> words(String text) {
        String t = text.strip();
        return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
    }

    private static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }
}
