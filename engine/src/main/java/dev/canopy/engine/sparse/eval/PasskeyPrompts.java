package dev.canopy.engine.sparse.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Deterministic passkey prompts for the quality evaluation of sparse attention (format of
 * shared/models/README.md). Lengths are met with the model's own tokenizer, supplied as a token
 * counter (tokens of a text without BOS); the same (length, facts, seed) always gives the same prompt.
 */
public final class PasskeyPrompts {
    public static final List<String> ADJECTIVES = List.of("old", "new", "big", "small", "red", "blue", "green", "dark",
            "bright", "quiet", "loud", "cold", "warm", "tall", "short", "long", "young", "ancient", "empty", "busy");
    public static final List<String> NOUNS = List.of("house", "river", "garden", "window", "table", "mountain", "forest",
            "ocean", "city", "village", "road", "bridge", "tower", "castle", "island", "desert", "valley", "field",
            "school", "market", "library", "kitchen", "office", "station", "harbor", "museum", "temple", "palace", "farm",
            "factory", "hospital", "church", "prison", "airport", "theater", "bakery");
    public static final List<String> VERBS = List.of("sees", "finds", "builds", "paints", "visits", "leaves", "watches",
            "follows", "needs", "wants");
    /** Lower-case words of 5-8 letters, none of them a filler word; filtered to single tokens per model. */
    public static final List<String> LABEL_CANDIDATES = List.of("apple", "beach", "bread", "chair", "cloud", "dance",
            "eagle", "flame", "grape", "horse", "juice", "knife", "lemon", "light", "money", "music", "night", "paper",
            "piano", "plant", "queen", "radio", "snake", "stone", "storm", "sugar", "tiger", "train", "water", "whale",
            "zebra", "silver", "orange", "purple", "winter", "summer", "spring", "planet", "rocket", "dragon", "marble",
            "copper", "violet", "falcon", "monkey", "pencil", "button", "candle", "anchor", "basket", "bottle", "camera",
            "carpet", "cookie", "dinner", "doctor", "engine", "finger", "flower", "guitar", "hammer", "helmet", "jacket",
            "ladder", "letter", "mirror", "needle", "parrot", "pepper", "pillow", "pocket", "rabbit", "ribbon", "shadow",
            "spider", "ticket", "tomato", "turtle", "wallet", "blanket", "captain", "chicken", "diamond", "dolphin",
            "element", "feather", "general", "machine", "morning", "network", "pattern", "penguin", "picture",
            "program", "weather", "history", "elephant", "keyboard", "notebook", "sandwich", "umbrella", "football",
            "painting", "material", "distance", "question", "computer", "hundred", "country");

    private static final int MARGIN = 8; // tokens kept free: joining sentences may tokenize slightly differently

    private final ToIntFunction<String> tokenCount;
    private final List<String> labels;

    /**
     * @param tokenCount tokens of a text without BOS (e.g. {@code t -> vocab.tokenize(t, false, false).length})
     * @param labels     usable labels (see {@link #singleTokenLabels})
     */
    public PasskeyPrompts(ToIntFunction<String> tokenCount, List<String> labels) {
        if (labels.size() < 4) throw new IllegalArgumentException("need at least 4 labels, got " + labels.size());
        this.tokenCount = tokenCount;
        this.labels = List.copyOf(labels);
    }

    /** The candidates that are one token where they stand in a prompt (after "The "). */
    public static List<String> singleTokenLabels(ToIntFunction<String> tokenCount) {
        int base = tokenCount.applyAsInt("The code");
        return LABEL_CANDIDATES.stream().filter(l -> tokenCount.applyAsInt("The " + l + " code") == base + 1).toList();
    }

    /** Prompts for every (length, facts) cell, {@code perCell} each, seeded from {@code seed}. */
    public List<PasskeyPrompt> suite(int[] lengths, int[] factCounts, int perCell, long seed) {
        List<PasskeyPrompt> out = new ArrayList<>();
        for (int length : lengths)
            for (int facts : factCounts)
                for (int i = 0; i < perCell; i++) out.add(generate(length, facts, seed * 1_000_003L + length * 31L + facts * 7L + i, i));
        return out;
    }

    /** One prompt of at most {@code targetTokens} tokens (with BOS) holding {@code factCount} facts. */
    public PasskeyPrompt generate(int targetTokens, int factCount, long seed, int index) {
        if (factCount < 1 || factCount > 4) throw new IllegalArgumentException("1 to 4 facts, got " + factCount);
        Random r = new Random(seed);
        List<PasskeyPrompt.Fact> facts = facts(r, factCount);
        PasskeyPrompt.Fact asked = facts.get(r.nextInt(factCount));
        String question = "What is the " + asked.label() + " code? The " + asked.label() + " code is";
        int budget = targetTokens - 1 - tokenCount.applyAsInt(question) - MARGIN;
        for (PasskeyPrompt.Fact f : facts) budget -= tokenCount.applyAsInt(f.sentence());
        List<String> sentences = new ArrayList<>();
        for (int used = 0; ; ) {
            String s = filler(r);
            int n = tokenCount.applyAsInt(s);
            if (used + n > budget) break;
            sentences.add(s);
            used += n;
        }
        for (PasskeyPrompt.Fact f : facts) sentences.add(r.nextInt(sentences.size() + 1), f.sentence());
        String text = String.join(" ", sentences) + " " + question;
        int tokens = tokenCount.applyAsInt(text) + 1;
        if (tokens > targetTokens) throw new IllegalStateException("prompt of " + tokens + " tokens exceeds " + targetTokens);
        return new PasskeyPrompt(targetTokens + "-" + factCount + "f-#" + index, text, List.copyOf(facts), asked, tokens);
    }

    private List<PasskeyPrompt.Fact> facts(Random r, int n) {
        List<String> pool = new ArrayList<>(labels);
        List<PasskeyPrompt.Fact> facts = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        while (facts.size() < n) {
            String label = pool.remove(r.nextInt(pool.size()));
            String code;
            do code = Integer.toString(10000 + r.nextInt(90000)); while (codes.contains(code));
            codes.add(code);
            facts.add(new PasskeyPrompt.Fact(label, code));
        }
        return facts;
    }

    private static String filler(Random r) {
        return "The " + pick(r, ADJECTIVES) + " " + pick(r, NOUNS) + " " + pick(r, VERBS) + " the "
                + pick(r, ADJECTIVES) + " " + pick(r, NOUNS) + ".";
    }

    private static String pick(Random r, List<String> words) {
        return words.get(r.nextInt(words.size()));
    }
}
