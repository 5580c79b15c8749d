package dev.canopy.engine.speculative;

import java.util.Arrays;

/**
 * Prompt-lookup drafts (no second model): the tokens that followed the latest earlier occurrence of
 * the context's last n-gram, for n from {@value #MAX_NGRAM} down to {@value #MIN_NGRAM}. Strong where
 * an answer quotes its prompt (summaries, edits of given text, facts repeated from a conversation).
 */
public final class PromptLookup implements Drafter {
    static final int MAX_NGRAM = 4;
    static final int MIN_NGRAM = 1;

    @Override
    public int[] propose(int[] context, int size, int limit) {
        if (limit < 1) return new int[0];
        for (int n = Math.min(MAX_NGRAM, size - 1); n >= MIN_NGRAM; n--) {
            // the latest start i < size - n where context[i..i+n) equals the last n tokens
            for (int i = size - n - 1; i >= 0; i--) {
                if (matches(context, i, size - n, n)) {
                    int from = i + n, to = Math.min(size, from + limit);
                    if (to > from) return Arrays.copyOfRange(context, from, to);
                }
            }
        }
        return new int[0];
    }

    private static boolean matches(int[] c, int a, int b, int n) {
        for (int j = 0; j < n; j++) if (c[a + j] != c[b + j]) return false;
        return true;
    }
}
