package dev.canopy.tools.engine.sparse.eval;

import java.util.List;

/**
 * One passkey retrieval prompt in the format of shared/models/README.md: filler sentences with
 * facts "The {label} code is {5 digits}." at random places, ending in the question
 * "What is the {label} code? The {label} code is", whose greedy continuation should be " {digits}.".
 *
 * @param id     stable name, e.g. "4096-3f-#2"
 * @param text   the prompt (tokenized with BOS)
 * @param facts  the facts in the order they appear
 * @param asked  the fact the question asks for
 * @param tokens prompt tokens including BOS
 */
public record PasskeyPrompt(String id, String text, List<Fact> facts, Fact asked, int tokens) {
    /** A fact: its label (a single vocabulary token) and its 5-digit code. */
    public record Fact(String label, String code) {
        public String sentence() {
            return "The " + label + " code is " + code + ".";
        }
    }

    /** The expected greedy continuation. */
    public String expected() {
        return " " + asked.code() + ".";
    }

    /** Whether a generated continuation states the asked code (exact 5 digits, nothing more). */
    public boolean answeredBy(String continuation) {
        String s = continuation.strip();
        return s.startsWith(asked.code()) && (s.length() == 5 || !Character.isDigit(s.charAt(5)));
    }

    /** The code of another fact that the continuation gives instead, if any (the typical multi-fact error). */
    public boolean confusedBy(String continuation) {
        String s = continuation.strip();
        return facts.stream().anyMatch(f -> f != asked && s.startsWith(f.code()));
    }
}
