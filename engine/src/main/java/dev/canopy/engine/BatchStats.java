package dev.canopy.engine;

/**
 * What a {@link SequencePool} has run so far.
 *
 * @param decodePasses       forward passes that decoded tokens
 * @param multiSequencePasses of those, passes that decoded tokens of two or more sequences at once
 * @param decodedTokens      tokens decoded (one row per sequence and pass)
 * @param prefillPasses      forward passes that prefilled prompt chunks
 * @param mostSequences      the most sequences one decode pass decoded
 */
public record BatchStats(long decodePasses, long multiSequencePasses, long decodedTokens, long prefillPasses, int mostSequences) {
    public static final BatchStats NONE = new BatchStats(0, 0, 0, 0, 0);

    /** Both counts added (several pools, one after the other). */
    public BatchStats plus(BatchStats o) {
        return new BatchStats(decodePasses + o.decodePasses, multiSequencePasses + o.multiSequencePasses,
                decodedTokens + o.decodedTokens, prefillPasses + o.prefillPasses, Math.max(mostSequences, o.mostSequences));
    }
}
