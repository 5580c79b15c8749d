package dev.canopy.engine.canopy;

import dev.canopy.engine.batch.SlotKv;
import dev.canopy.engine.graph.KvSlots;
import dev.canopy.engine.kv.IswaKvCache;
import dev.canopy.engine.kv.KvCache;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.runtime.ComputeBackends;
import dev.canopy.engine.runtime.ForwardPass;
import dev.canopy.engine.runtime.StepBuilder;
import dev.canopy.engine.sparse.SparseAttentionSettings;

import java.util.List;

/**
 * Canopy's batch KV for the step loop (decisions 0110, 0140): sequence slot {@code s} owns cells
 * [s*stride, (s+1)*stride) of one cache (and its own part of a sliding-window ring). A prefill chunk
 * runs over its slot alone ({@link KvSlots#one}); a decode pass runs the slots from the lowest to the
 * highest live one side by side as streams of one graph, one row each, every stream attending over
 * its own slot only (a slot in between with nothing to decode is a padding row). Dense attention
 * only. Owns its cache and forward pass, and its backends when it opened them.
 */
final class CanopySlotKv implements SlotKv {
    private final ComputeBackends owned;   // owned: the backends when this cache opened them, else null (borrowed)
    private final KvCache kv;              // owned
    private final ForwardPass pass;        // owned
    private final int slots;
    private final int stride;
    private final int chunk;

    private CanopySlotKv(ComputeBackends owned, KvCache kv, ForwardPass pass, int slots, int stride, int chunk) {
        this.owned = owned;
        this.kv = kv;
        this.pass = pass;
        this.slots = slots;
        this.stride = stride;
        this.chunk = chunk;
    }

    /**
     * {@code slots} slots of {@code stride} cells (a multiple of 256) on {@code backends}, which stay
     * the caller's when {@code own} is null, or are {@code own} and closed with this cache.
     */
    static CanopySlotKv open(CanopyInferenceModel model, RunSettings settings, ComputeBackends backends, ComputeBackends own,
                             int slots, int stride) {
        if (settings.attention().mode().isSparse()) throw new IllegalArgumentException("batch slots run dense attention");
        ModelHparams hp = model.hparams();
        KvCache kv = null;
        try {
            kv = IswaKvCache.allocate(backends.kvBufferTypes(), hp, stride * slots, slots, stride, settings.chunkTokens(),
                    settings.kvType());
            ForwardPass pass = new ForwardPass(hp, model.weights(), kv, backends, settings.windows(), SparseAttentionSettings.dense());
            return new CanopySlotKv(own, kv, pass, slots, stride, settings.chunkTokens());
        } catch (RuntimeException e) {
            if (kv != null) kv.close();
            if (own != null) own.close();
            throw e;
        }
    }

    @Override public int slots() { return slots; }
    @Override public int slotTokens() { return stride; }
    @Override public int chunkTokens() { return chunk; }
    @Override public Packing packing() { return Packing.ONE_SEQUENCE; }

    @Override
    public boolean continuable(int slot, int length) {
        return kv.swaRing() == null || kv.swaRing().continuable(slot, length);
    }

    @Override
    public void truncate(int slot, int length) {
        if (kv.swaRing() != null) kv.swaRing().truncate(slot, length);
    }

    @Override
    public void prefill(List<PromptPart> parts) {
        for (PromptPart p : parts) {
            StepBuilder rows = new StepBuilder(chunk);
            int base = p.slot() * stride;
            for (int i = 0; i < p.tokens().length; i++) {
                int pos = p.firstPosition() + i;
                rows.add(p.tokens()[i], pos, base + pos, base);
            }
            pass.run(rows.take(0), chunk, 1, KvSlots.one(p.slot(), stride));
        }
    }

    @Override
    public float[][] decode(int[] slotsOfRows, int[] tokens, int[] positions) {
        int first = slotsOfRows[0], streams = slotsOfRows[slotsOfRows.length - 1] - first + 1;
        StepBuilder rows = new StepBuilder(streams);
        int[] outputs = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            int base = slotsOfRows[i] * stride;
            outputs[i] = rows.add(tokens[i], positions[i], base + positions[i], base);
        }
        return pass.run(rows.take(outputs), streams, streams, new KvSlots(first, streams, stride));
    }

    /** Parts the last pass's graph ran in (1 on the CPU alone). */
    int lastSplits() { return pass.lastSplits(); }

    @Override
    public void close() {
        pass.close();
        kv.close();
        if (owned != null) owned.close();
    }
}
