package dev.canopy.engine.canopy;

import dev.canopy.natives.llama.ContextParams;
import dev.canopy.natives.llama.LlamaBatch;
import dev.canopy.natives.llama.LlamaContext;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.ModelParams;

import java.nio.file.Path;

/** libllama's llama_decode on the same file: the reference the Canopy engine is compared with. */
public final class LlamaReference {
    private LlamaReference() {}

    /** Last-token logits of {@code prompt} decoded in one batch with llama.cpp's defaults (F16 KV, flash attention auto). */
    static float[] lastLogits(Path file, int[] prompt) {
        try (LlamaModel m = LlamaModel.load(file, ModelParams.cpu());
             LlamaContext ctx = LlamaContext.create(m, ContextParams.of(1024).withBatch(prompt.length).withThreads(1));
             LlamaBatch batch = new LlamaBatch(prompt.length, 1)) {
            for (int i = 0; i < prompt.length; i++) batch.add(prompt[i], i, i == prompt.length - 1, 0);
            ctx.decode(batch);
            return ctx.logits(-1);
        }
    }

    /**
     * Last-token logits of {@code prompt} decoded {@code chunk} tokens per llama_decode (n_ubatch =
     * chunk) with llama.cpp's small sliding-window cache ({@code swa_full} off: n_swa + chunk cells,
     * padded to 256, reused as a ring), as Canopy keeps it.
     */
    static float[] lastLogitsChunked(Path file, int[] prompt, int chunk) {
        try (LlamaModel m = LlamaModel.load(file, ModelParams.cpu());
             LlamaContext ctx = LlamaContext.create(m, ContextParams.of(1024).withBatch(chunk).withThreads(1).withSwaFull(false))) {
            for (int from = 0; from < prompt.length; from += chunk) {
                int end = Math.min(prompt.length, from + chunk);
                try (LlamaBatch batch = new LlamaBatch(end - from, 1)) {
                    for (int i = from; i < end; i++) batch.add(prompt[i], i, i == prompt.length - 1, 0);
                    ctx.decode(batch);
                }
            }
            return ctx.logits(-1);
        }
    }

    /**
     * Last-token logits of {@code prompt} decoded as llama.cpp's generation does it: the first
     * {@code head} tokens in one batch, then one token per llama_decode.
     */
    static float[] lastLogitsStepwise(Path file, int[] prompt, int head) {
        return lastLogitsStepwise(file, prompt, head, ContextParams.of(1024).withBatch(prompt.length).withThreads(1));
    }

    /** As {@link #lastLogitsStepwise(Path, int[], int)} with n_ubatch {@code ubatch} and the small sliding-window cache. */
    static float[] lastLogitsStepwiseSwaRing(Path file, int[] prompt, int head, int ubatch) {
        return lastLogitsStepwise(file, prompt, head, ContextParams.of(1024).withBatch(ubatch).withThreads(1).withSwaFull(false));
    }

    private static float[] lastLogitsStepwise(Path file, int[] prompt, int head, ContextParams params) {
        try (LlamaModel m = LlamaModel.load(file, ModelParams.cpu());
             LlamaContext ctx = LlamaContext.create(m, params)) {
            try (LlamaBatch batch = new LlamaBatch(head, 1)) {
                for (int i = 0; i < head; i++) batch.add(prompt[i], i, i == head - 1, 0);
                ctx.decode(batch);
            }
            for (int i = head; i < prompt.length; i++) {
                try (LlamaBatch one = new LlamaBatch(1, 1)) {
                    one.add(prompt[i], i, true, 0);
                    ctx.decode(one);
                }
            }
            return ctx.logits(-1);
        }
    }

    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    public static double spread(float[] a) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float f : a) { lo = Math.min(lo, f); hi = Math.max(hi, f); }
        return hi - lo;
    }
}
