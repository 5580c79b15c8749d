package dev.canopy.engine.canopy;

import dev.canopy.engine.batch.TokenSampler;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.speculative.Drafter;

import java.util.Arrays;

/**
 * A draft model's proposals: its own greedy continuation of the context, on its own sequence (KV
 * cache). Between calls the sequence keeps what it computed; the next call cuts it back to the
 * part the context still shares (its confirmed proposals stay) and catches up with the rest.
 * Owns the sequence.
 */
final class SequenceDrafter implements Drafter {
    private static final int DECODE_CATCH_UP = 4;   // tokens caught up one step each; more go through a prefill
    private final SequenceEngine seq;               // owned

    SequenceDrafter(SequenceEngine seq) {
        this.seq = seq;
    }

    @Override
    public int[] propose(int[] context, int size, int limit) {
        limit = Math.min(limit, seq.capacity() - size);
        if (limit < 1 || size < 1) return new int[0];
        int keep = Math.min(CanopyGenerationSession.commonPrefix(seq.history(), Arrays.copyOf(context, size)), size - 1);
        keep = seq.reusablePrefix(keep);
        float[] logits = null;
        if (size - keep <= DECODE_CATCH_UP) {
            seq.truncate(keep);
            for (int i = keep; i < size; i++) logits = seq.decode(context[i]);
        } else {
            logits = seq.prefill(Arrays.copyOf(context, size), keep, new CancellationToken(), GenerationListener.NONE).logits();
        }
        int[] draft = new int[limit];
        for (int i = 0; i < limit; i++) {
            draft[i] = TokenSampler.argmax(logits);
            if (i < limit - 1) logits = seq.decode(draft[i]);
        }
        return draft;
    }

    @Override
    public void close() {
        seq.close();
    }
}
