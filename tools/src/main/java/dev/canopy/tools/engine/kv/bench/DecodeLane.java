package dev.canopy.tools.engine.kv.bench;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.Tokenizer;
import dev.canopy.engine.canopy.SequenceEngine;
import dev.canopy.engine.kv.TieredKvCache;
import dev.canopy.tools.engine.sparse.eval.PasskeyPrompt;
import dev.canopy.kv.KvStats;
import dev.canopy.natives.llama.ContextParams;
import dev.canopy.natives.llama.LlamaBatch;
import dev.canopy.natives.llama.LlamaContext;
import dev.canopy.natives.llama.LlamaModel;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * One decoder under test in {@link KvDecodeBench}: prefill, then greedy decode in blocks (the bench
 * alternates blocks between lanes, so each sees the same machine load); the answer is the text up
 * to the first '.'. Every lane reads the logits back and takes the argmax in Java, so all pay the
 * same host work.
 */
abstract sealed class DecodeLane implements AutoCloseable permits DecodeLane.Canopy, DecodeLane.Llama {
    private final Tokenizer tok;
    private final List<Integer> out = new ArrayList<>();
    private float[] logits;
    private double prefillSeconds;
    private long decodeNanos;

    DecodeLane(Tokenizer tok) {
        this.tok = tok;
    }

    /** Prefills the prompt; returns the last position's logits. */
    abstract float[] prefillLogits(int[] ids);

    /** Decodes one token; returns its logits. */
    abstract float[] step(int token);

    /** Page-file bytes read since the prefill ended (0 without a page file). */
    long diskBytesSincePrefill() {
        return 0;
    }

    void markPrefillDone() {
    }

    final void prefill(int[] ids) {
        long t0 = System.nanoTime();
        logits = prefillLogits(ids);
        prefillSeconds = (System.nanoTime() - t0) / 1e9;
        markPrefillDone();
    }

    final void decode(int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int next = argmax(logits);
            out.add(next);
            logits = step(next);
        }
        decodeNanos += System.nanoTime() - t0;
    }

    final KvDecodeBench.Run result(PasskeyPrompt p) {
        List<Integer> upTo = new ArrayList<>();
        for (int id : out) {
            upTo.add(id);
            String text = tok.decode(upTo.stream().mapToInt(Integer::intValue).toArray());
            if (text.contains(".") || tok.isEndOfGeneration(id) || upTo.size() >= 8) break;
        }
        String answer = tok.decode(upTo.stream().mapToInt(Integer::intValue).toArray()).strip();
        return new KvDecodeBench.Run(answer, p.answeredBy(answer), prefillSeconds, out.size() / (decodeNanos / 1e9),
                (double) diskBytesSincePrefill() / out.size());
    }

    @Override
    public void close() {
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    /** Canopy's engine over its dense cache ({@code kv} null) or the tiered KV. */
    static final class Canopy extends DecodeLane {
        private final SequenceEngine seq;   // borrowed
        private final TieredKvCache kv;     // borrowed, null for the dense cache
        private KvStats before;

        Canopy(SequenceEngine seq, Tokenizer tok) {
            super(tok);
            this.seq = seq;
            this.kv = seq.tieredKv();
        }

        @Override
        float[] prefillLogits(int[] ids) {
            return seq.prefill(ids, 0, new CancellationToken(), GenerationListener.NONE).logits();
        }

        @Override
        float[] step(int token) {
            return seq.decode(token);
        }

        @Override
        void markPrefillDone() {
            before = kv == null ? null : kv.stats();
        }

        @Override
        long diskBytesSincePrefill() {
            return kv == null ? 0 : kv.stats().minus(before).diskBytesRead();
        }
    }

    /**
     * llama.cpp's llama_decode on its own context. With {@code prefillKvOnGpu} the prompt is
     * prefilled in a second context whose KV is on the GPU and the sequence is then moved into this
     * one (its KV in RAM), so that only decode runs with the KV in RAM: with the KV in RAM llama.cpp
     * runs attention on the CPU, whose prefill cost grows with the square of the prompt and is not
     * what this bench measures.
     */
    static final class Llama extends DecodeLane {
        private final LlamaModel model;     // borrowed
        private final ContextParams params;
        private final boolean prefillKvOnGpu;
        private final LlamaContext ctx;     // owned
        private final LlamaBatch batch;     // owned
        private int pos;

        Llama(LlamaModel model, ContextParams params, boolean prefillKvOnGpu, Tokenizer tok) {
            super(tok);
            this.model = model;
            this.params = params;
            this.prefillKvOnGpu = prefillKvOnGpu;
            this.ctx = LlamaContext.create(model, params);
            this.batch = new LlamaBatch(params.batchTokens(), 1);
        }

        @Override
        float[] prefillLogits(int[] ids) {
            pos = ids.length;
            if (!prefillKvOnGpu) return ctx.prefill(batch, ids);
            try (LlamaContext onGpu = LlamaContext.create(model, params.withKvOnGpu(true)); Arena arena = Arena.ofConfined()) {
                float[] logits = onGpu.prefill(batch, ids);
                ctx.putSequenceState(onGpu.sequenceState(0, arena), 0);
                return logits;
            }
        }

        @Override
        float[] step(int token) {
            return ctx.next(batch, token, pos++);
        }

        @Override
        public void close() {
            batch.close();
            ctx.close();
        }
    }
}
