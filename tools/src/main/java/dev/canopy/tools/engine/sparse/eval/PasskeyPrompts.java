package dev.canopy.tools.engine.sparse.eval;

import dev.canopy.engine.Tokenizer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Deterministic passkey prompts for the quality evaluation of sparse attention, in the format the
 * passkey model was trained on (shared/models/README.md, reference generator
 * shared/datasets/passkey/make_prompts.py): filler sentences {@code The {adj} {noun} {verb} the {adj} {noun}.}
 * joined by single spaces, facts {@code The {label} code is {5 digits}.} at random places, and the
 * question at the end. <b>Every filler word and every label is a single vocabulary token</b>
 * ({@code ▁word}): words that split into pieces never occurred in training, and prompts holding them
 * make the model lose the fact from about 3K tokens on even with dense attention.
 * Lengths are met with the model's own tokenizer, supplied as a token counter (tokens of a text
 * without BOS); the same (length, facts, seed) always gives the same prompt.
 */
public final class PasskeyPrompts {
    /** The README's 20 adjectives, each one token in the passkey model's vocabulary. */
    public static final List<String> ADJECTIVES = List.of("old", "new", "big", "small", "red", "blue", "green", "dark",
            "bright", "quiet", "loud", "cold", "warm", "tall", "short", "long", "young", "ancient", "empty", "busy");
    /** The README's 32 nouns (harbor, airport, theater and bakery split into pieces, so they are not here). */
    public static final List<String> NOUNS = List.of("house", "river", "garden", "window", "table", "mountain", "forest",
            "ocean", "city", "village", "road", "bridge", "tower", "castle", "island", "desert", "valley", "field",
            "school", "market", "library", "kitchen", "office", "station", "museum", "temple", "palace", "farm",
            "factory", "hospital", "church", "prison");
    /** The README's 7 verbs (paints, visits and watches split into pieces, so they are not here). */
    public static final List<String> VERBS = List.of("sees", "finds", "builds", "leaves", "follows", "needs", "wants");
    /** Every filler word; no label may be one of them. */
    public static final Set<String> FILLER_WORDS = Set.copyOf(Stream.of(ADJECTIVES, NOUNS, VERBS, List.of("the"))
            .flatMap(List::stream).toList());
    /** A label: a lower-case word of 5-8 letters (and, per model, a single token that is no filler word). */
    public static final Pattern LABEL_SHAPE = Pattern.compile("[a-z]{5,8}");

    private static final int MARGIN = 8; // tokens kept free: joining sentences may tokenize slightly differently

    private final ToIntFunction<String> tokenCount;
    private final List<String> labels;

    /**
     * @param tokenCount tokens of a text without BOS (e.g. {@code tokenizer::count})
     * @param labels     usable labels (see {@link #labels(Tokenizer)}): lower-case 5-8 letters, no filler word
     */
    public PasskeyPrompts(ToIntFunction<String> tokenCount, List<String> labels) {
        if (labels.size() < 4) throw new IllegalArgumentException("need at least 4 labels, got " + labels.size());
        for (String l : labels) {
            if (!LABEL_SHAPE.matcher(l).matches() || FILLER_WORDS.contains(l)) {
                throw new IllegalArgumentException("not a passkey label (lower-case 5-8 letters, no filler word): " + l);
            }
        }
        this.tokenCount = tokenCount;
        this.labels = List.copyOf(labels);
    }

    /**
     * Prompts for a model: its tokenizer counts tokens and its vocabulary gives the labels.
     *
     * @throws IllegalArgumentException when the model's tokenizer splits a filler word (the prompts
     *                                  would be malformed for it), naming the words
     */
    public static PasskeyPrompts forModel(Tokenizer tokenizer) {
        ToIntFunction<String> count = tokenizer::count;
        List<String> split = FILLER_WORDS.stream().filter(w -> !singleToken(count, w)).sorted().toList();
        if (!split.isEmpty()) {
            throw new IllegalArgumentException("this model's tokenizer splits the passkey filler words " + split
                    + " into several tokens; passkey prompts need a model whose vocabulary has each as one token");
        }
        return new PasskeyPrompts(count, labels(tokenizer));
    }

    /** Whether {@code word} is one token where it stands in a sentence (after a space, between words). */
    public static boolean singleToken(ToIntFunction<String> tokenCount, String word) {
        return tokenCount.applyAsInt("The " + word + " code") == tokenCount.applyAsInt("The code") + 1;
    }

    /**
     * The vocabulary's labels, sorted: tokens that read as a lower-case word of 5-8 letters, are one
     * token where they stand in a prompt ({@code ▁word}), and are no filler word (the README's rule,
     * as make_prompts.py applies it).
     */
    public static List<String> labels(Tokenizer tokenizer) {
        ToIntFunction<String> count = tokenizer::count;
        Set<String> words = new TreeSet<>();
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            String w = tokenizer.decode(new int[] {id}).strip();
            if (LABEL_SHAPE.matcher(w).matches() && !FILLER_WORDS.contains(w)) words.add(w);
        }
        return words.stream().filter(w -> singleToken(count, w)).toList();
    }

    /** The labels prompts draw from. */
    public List<String> labels() {
        return labels;
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
        Set<String> codes = new HashSet<>();
        while (facts.size() < n) {
            String label = pool.remove(r.nextInt(pool.size()));
            String code;
            do code = digits(r); while (!codes.add(code));
            facts.add(new PasskeyPrompt.Fact(label, code));
        }
        return facts;
    }

    /** Any 5 digits, a leading 0 included (as the reference generator draws them). */
    private static String digits(Random r) {
        StringBuilder sb = new StringBuilder(5);
        for (int i = 0; i < 5; i++) sb.append((char) ('0' + r.nextInt(10)));
        return sb.toString();
    }

    private static String filler(Random r) {
        return "The " + pick(r, ADJECTIVES) + " " + pick(r, NOUNS) + " " + pick(r, VERBS) + " the "
                + pick(r, ADJECTIVES) + " " + pick(r, NOUNS) + ".";
    }

    private static String pick(Random r, List<String> words) {
        return words.get(r.nextInt(words.size()));
    }
}
