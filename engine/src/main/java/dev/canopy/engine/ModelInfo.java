package dev.canopy.engine;

import java.nio.file.Path;

/**
 * What the UI and CLI show about a model file.
 *
 * @param file           the GGUF file
 * @param name           {@code general.name}, or the file name
 * @param architecture   {@code general.architecture}, e.g. llama, qwen2
 * @param layers         transformer blocks
 * @param embedding      hidden size
 * @param heads          query heads
 * @param kvHeads        key/value heads
 * @param contextLength  training context length
 * @param ropeBase       RoPE frequency base
 * @param quantization   the dominant tensor type, e.g. Q4_K, F16
 * @param parameters     parameter count
 * @param fileBytes      file size
 * @param vocabSize      tokenizer size
 * @param hasChatTemplate whether the file carries its own chat template
 */
public record ModelInfo(Path file, String name, String architecture, int layers, int embedding, int heads,
                        int kvHeads, int contextLength, double ropeBase, String quantization, long parameters,
                        long fileBytes, int vocabSize, boolean hasChatTemplate, KvFootprint kv) {

    /** Parameters in a short human form: "1.2B", "350M". */
    public String parameterLabel() {
        if (parameters >= 1_000_000_000L) return "%.1fB".formatted(parameters / 1e9);
        if (parameters >= 1_000_000L) return "%.0fM".formatted(parameters / 1e6);
        return "%.0fK".formatted(parameters / 1e3);
    }
}
