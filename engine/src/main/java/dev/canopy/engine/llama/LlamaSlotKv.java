package dev.canopy.engine.llama;

import dev.canopy.engine.batch.SlotKv;
import dev.canopy.natives.llama.ContextParams;
import dev.canopy.natives.llama.LlamaBatch;
import dev.canopy.natives.llama.LlamaContext;
import dev.canopy.natives.llama.LlamaModel;

import java.util.List;

/**
 * libllama's batch KV for the step loop: one context of {@code slots} sequences, slot {@code s}
 * being sequence id {@code s}; a prefill pass packs several sequences' prompt tokens into one
 * llama_batch, a decode pass holds one row per live sequence. Owns the context and the batch.
 */
final class LlamaSlotKv implements SlotKv {
    private final LlamaContext ctx;   // owned
    private final LlamaBatch batch;   // owned
    private final int slots;
    private final int slotTokens;
    private final int chunk;
    private final WorkerWatch watch;

    /** {@code slots} sequences of {@code slotTokens} tokens each (a multiple of 256), prefill passes of {@code chunk} tokens. */
    LlamaSlotKv(LlamaModel model, int slots, int slotTokens, int chunk, int threads, int kvType, WorkerWatch watch) {
        this.watch = watch;
        this.slots = slots;
        this.slotTokens = slotTokens;
        this.chunk = chunk;
        this.ctx = LlamaContext.create(model, new ContextParams(slotTokens * slots, Math.max(chunk, slots), slots, threads)
                .withKvType(kvType));
        try {
            this.batch = new LlamaBatch(Math.max(chunk, slots), 1);
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    @Override public int slots() { return slots; }
    @Override public int slotTokens() { return slotTokens; }
    @Override public int chunkTokens() { return chunk; }
    @Override public Packing packing() { return Packing.SEQUENCES_PACKED; }
    @Override public boolean continuable(int slot, int length) { return true; }

    @Override
    public void truncate(int slot, int length) {
        ctx.removeTokens(slot, length, -1);
    }

    @Override
    public void prefill(List<PromptPart> parts) {
        batch.clear();
        for (PromptPart p : parts) {
            for (int i = 0; i < p.tokens().length; i++) batch.add(p.tokens()[i], p.firstPosition() + i, false, p.slot());
        }
        watch.decode(() -> ctx.decode(batch));
    }

    @Override
    public float[][] decode(int[] slotsOfRows, int[] tokens, int[] positions) {
        batch.clear();
        for (int i = 0; i < tokens.length; i++) batch.add(tokens[i], positions[i], true, slotsOfRows[i]);
        return watch.checked(() -> {       // a lost worker's zeros are never sampled
            ctx.decode(batch);
            float[][] logits = new float[tokens.length][];
            for (int i = 0; i < tokens.length; i++) logits[i] = ctx.logits(i);
            return logits;
        });
    }

    @Override
    public void close() {
        batch.close();
        ctx.close();
    }
}
