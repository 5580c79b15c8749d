package dev.canopy.app.summarize;

import dev.canopy.engine.Speculation;

/**
 * Settings of one summarization.
 *
 * @param style              the final summary's shape
 * @param instruction        the user's own instruction (for {@link SummaryStyle#CUSTOM}; ignored otherwise)
 * @param chunkTokens        chunk size in tokens (0 = as large as the model's context allows)
 * @param batchSize          chunks summarized together as parallel sequences of one batch
 * @param partSummaryTokens  most tokens a chunk summary may take
 * @param mergeSummaryTokens most tokens a merged summary may take
 * @param finalTokens        most tokens of the final summary (0 = the style's default)
 * @param retryCutShort      run a summary that hit its token limit again with twice the room
 * @param speculation        speculative decoding of the sequences that run alone: the final pass, and
 *                           parts and merges with a batch size of 1 (a batch of several does not speculate)
 */
public record SummarizeOptions(SummaryStyle style, String instruction, int chunkTokens, int batchSize,
                               int partSummaryTokens, int mergeSummaryTokens, int finalTokens, boolean retryCutShort, Speculation speculation) {
    public SummarizeOptions {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1");
        if (chunkTokens < 0 || finalTokens < 0) throw new IllegalArgumentException("token counts must not be negative");
        if (partSummaryTokens < 8 || mergeSummaryTokens < 8) throw new IllegalArgumentException("summaries need at least 8 tokens");
        instruction = instruction == null ? "" : instruction.strip();
        if (speculation == null) speculation = Speculation.off();
        if (style == SummaryStyle.CUSTOM && instruction.isEmpty()) {
            throw new IllegalArgumentException("a custom summary needs an instruction");
        }
    }

    public static SummarizeOptions defaults() {
        return new SummarizeOptions(SummaryStyle.BRIEF, "", 0, 4, 384, 512, 0, true, Speculation.off());
    }

    public SummarizeOptions withStyle(SummaryStyle s, String instr) {
        return new SummarizeOptions(s, instr, chunkTokens, batchSize, partSummaryTokens, mergeSummaryTokens, finalTokens,
                retryCutShort, speculation);
    }

    public SummarizeOptions withChunkTokens(int n) {
        return new SummarizeOptions(style, instruction, n, batchSize, partSummaryTokens, mergeSummaryTokens, finalTokens,
                retryCutShort, speculation);
    }

    public SummarizeOptions withBatchSize(int n) {
        return new SummarizeOptions(style, instruction, chunkTokens, n, partSummaryTokens, mergeSummaryTokens, finalTokens,
                retryCutShort, speculation);
    }

    public SummarizeOptions withSummaryTokens(int part, int merge, int fin) {
        return new SummarizeOptions(style, instruction, chunkTokens, batchSize, part, merge, fin,
                retryCutShort, speculation);
    }

    public SummarizeOptions withRetryCutShort(boolean retry) {
        return new SummarizeOptions(style, instruction, chunkTokens, batchSize, partSummaryTokens, mergeSummaryTokens, finalTokens,
                retry, speculation);
    }

    public SummarizeOptions withSpeculation(Speculation s) {
        return new SummarizeOptions(style, instruction, chunkTokens, batchSize, partSummaryTokens, mergeSummaryTokens, finalTokens,
                retryCutShort, s);
    }

    /** The final pass's token limit. */
    public int effectiveFinalTokens() {
        return finalTokens > 0 ? finalTokens : style.defaultTokens();
    }

    /** What, besides the document, model and chunk size, decides the stored chunk and merge summaries. */
    String workFingerprint() {
        return "part=" + partSummaryTokens + ";merge=" + mergeSummaryTokens + ";retry=" + retryCutShort;
    }
}
