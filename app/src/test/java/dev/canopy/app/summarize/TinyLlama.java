package dev.canopy.app.summarize;

import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.InferenceModel;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A real random-weight llama GGUF with the real llama SentencePiece tokenizer, loaded through the engine.
 * One thread: llama.cpp's spinning thread pool slows down twenty-fold when the machine's cores are busy.
 */
final class TinyLlama {
    private TinyLlama() {}

    static InferenceModel load(Path dir, int context) throws IOException {
        Path file = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-llama.gguf"));
        return Engines.load(file, EngineOptions.defaults().withEngine(EngineKind.LLAMA).withContext(context)
                .withChunk(64).withThreads(1));
    }
}
