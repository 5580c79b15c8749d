package dev.canopy.app.summarize;

import dev.canopy.engine.Tokenizer;

import java.util.List;

/**
 * Token budgets of one run, derived from the model's context so every prompt fits with room for its
 * answer (and for a retry's longer answer). Merges are sized so any two summaries fit one merge prompt,
 * which guarantees every level at least halves the count: the hierarchy always ends.
 *
 * @param context     tokens per sequence (prompt + answer)
 * @param chunkTokens chunk size
 * @param partTokens  most tokens of a chunk summary
 * @param mergeTokens most tokens of a merged summary
 * @param finalTokens most tokens of the final summary
 * @param mergeInputs room for the inputs of one merge prompt
 * @param itemCap     most tokens one input may take as rendered with all its citations (else it goes in compact form)
 * @param finalInputs room for the inputs of the final prompt
 */
record Budgets(int context, int chunkTokens, int partTokens, int mergeTokens, int finalTokens,
               int mergeInputs, int itemCap, int finalInputs) {
    private static final int MARGIN = 8;
    /** A citation and the blank line that separates inputs. */
    private static final int PER_ITEM = 16;

    static Budgets compute(SummaryPrompts prompts, Tokenizer tok, SummarizeOptions o, int context) {
        int retry = o.retryCutShort() ? 2 : 1;
        SourceSpan wide = new SourceSpan(9_999_999, 9_999_999);
        int mergeOverhead = tok.count(prompts.merge(List.of(), wide, o.mergeSummaryTokens())) + MARGIN;
        int part = o.partSummaryTokens(), merge = o.mergeSummaryTokens();
        // Shrink the summary sizes until two of the largest possible inputs fit a merge prompt with its answer.
        while (2 * (retry * Math.max(part, merge) + PER_ITEM) > context - mergeOverhead - merge) {
            if (merge <= 16) throw tooSmall(context);
            merge = Math.max(16, merge * 3 / 4);
            part = Math.min(part, merge);
        }
        int mergeInputs = context - mergeOverhead - merge;
        int itemCap = mergeInputs / 2;

        String longSection = "x".repeat(200);
        Chunk probe = new Chunk(0, "", 0, wide, List.of(longSection), List.of());
        int chunkOverhead = tok.count(prompts.chunk(probe, 9_999_999, part)) + MARGIN;
        int maxChunk = context - chunkOverhead - part;
        if (maxChunk < 64) throw tooSmall(context);
        int chunk = o.chunkTokens() == 0 ? maxChunk : o.chunkTokens();
        if (chunk > maxChunk) {
            throw new IllegalArgumentException("Chunks of " + chunk + " tokens do not fit this model's context of " + context
                    + " tokens with room for the prompt and a " + part + "-token summary; use at most " + maxChunk + ".");
        }
        if (chunk < 64) throw new IllegalArgumentException("Chunks must be at least 64 tokens, not " + chunk + ".");

        int finalOverhead = tok.count(prompts.finalPass(List.of(), o.style(), o.instruction(), o.effectiveFinalTokens())) + MARGIN;
        int largestItem = retry * Math.max(part, merge) + PER_ITEM;
        int fin = Math.min(o.effectiveFinalTokens(), context - finalOverhead - largestItem);
        if (o.effectiveFinalTokens() < 32) {
            throw new IllegalArgumentException("The final summary needs room for at least 32 tokens, not " + o.effectiveFinalTokens() + ".");
        }
        if (fin < 32) throw tooSmall(context);
        return new Budgets(context, chunk, part, merge, fin, mergeInputs, itemCap, context - finalOverhead - fin);
    }

    /** Settings that change what a stored chunk or merge summary is. */
    String fingerprint() {
        return "part=" + partTokens + ";merge=" + mergeTokens + ";mergeInputs=" + mergeInputs;
    }

    private static IllegalArgumentException tooSmall(int context) {
        return new IllegalArgumentException("The model's context of " + context + " tokens is too small to summarize in parts;"
                + " raise the context size.");
    }
}
