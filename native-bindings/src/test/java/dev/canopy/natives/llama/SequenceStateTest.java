package dev.canopy.natives.llama;

import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sequence's KV moves between two contexts of one model: the second continues exactly where the
 * first stopped (what {@code bench-kv}'s llama.cpp lane does to prefill with its KV on the GPU and
 * decode with it in RAM).
 */
class SequenceStateTest {
    @TempDir Path dir;

    @Test
    void aMovedSequenceContinuesWithTheSameLogits() throws Exception {
        Path file = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny.gguf"));
        try (LlamaModel model = LlamaModel.load(file, ModelParams.cpu());
             LlamaContext first = LlamaContext.create(model, ContextParams.of(512).withThreads(1));
             LlamaContext second = LlamaContext.create(model, ContextParams.of(512).withThreads(1).withKvOnGpu(false));
             LlamaContext empty = LlamaContext.create(model, ContextParams.of(512).withThreads(1));
             LlamaBatch batch = new LlamaBatch(64, 1);
             Arena arena = Arena.ofConfined()) {
            int[] prompt = model.vocab().tokenize("The old house sees the quiet river. The apple code is", true, false);
            for (int i = 0; i < prompt.length; i++) batch.add(prompt[i], i, i == prompt.length - 1, 0);
            first.decode(batch);

            MemorySegment state = first.sequenceState(0, arena);
            assertThat(state.byteSize()).isGreaterThan(0);
            second.putSequenceState(state, 0);
            assertThat(second.lastPosition(0)).isEqualTo(prompt.length - 1);

            float[] continued = next(first, batch, 42, prompt.length);
            assertThat(next(second, batch, 42, prompt.length)).containsExactly(continued);
            assertThat(next(empty, batch, 42, prompt.length)).as("without the moved KV the token sees nothing before it")
                    .isNotEqualTo(continued);
        }
    }

    private static float[] next(LlamaContext ctx, LlamaBatch batch, int token, int pos) {
        batch.clear();
        batch.add(token, pos, true, 0);
        ctx.decode(batch);
        return ctx.logits(-1);
    }
}
