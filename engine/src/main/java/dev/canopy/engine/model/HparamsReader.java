package dev.canopy.engine.model;

import dev.canopy.natives.gguf.GgufFile;
import dev.canopy.natives.llama.ModelLoadException;

import java.util.List;
import java.util.Optional;

/** Reads {@link ModelHparams} from GGUF keys the way llama.cpp's llama-model.cpp does. */
public final class HparamsReader {
    private HparamsReader() {}

    /**
     * The hyper-parameters of {@code gguf}. Throws {@link UnsupportedModelException} for models
     * Canopy's graph does not build (other architectures, mixture of experts, YaRN, per-layer head
     * counts) and {@link ModelLoadException} for missing required keys.
     */
    public static ModelHparams read(GgufFile gguf) {
        String name = gguf.getString("general.architecture").orElse("unknown");
        Architecture arch = Architecture.of(name)
                .orElseThrow(() -> new UnsupportedModelException("architecture " + name + " is not built by Canopy's graph"));
        String p = name + ".";
        if (gguf.getLong(p + "expert_count").orElse(0L) > 0) {
            throw new UnsupportedModelException("mixture-of-experts models are not built by Canopy's graph yet");
        }
        if (gguf.get(p + "attention.head_count").orElse(null) instanceof List<?>
                || gguf.get(p + "attention.head_count_kv").orElse(null) instanceof List<?>) {
            throw new UnsupportedModelException("per-layer head counts are not built by Canopy's graph yet");
        }
        // llama.cpp's defaults: type "linear" when absent; factor from rope.scaling.factor or the
        // older rope.scale_linear, 0 or absent meaning no scaling; type "none" never scales
        String scaling = gguf.getString(p + "rope.scaling.type").orElse("linear");
        float freqScale = 1f;
        if (scaling.equals("linear")) {
            double factor = gguf.getDouble(p + "rope.scaling.factor")
                    .or(() -> gguf.getDouble(p + "rope.scale_linear")).orElse(0.0);
            freqScale = factor == 0.0 ? 1f : (float) (1.0 / factor);
        } else if (!scaling.equals("none")) {
            throw new UnsupportedModelException("RoPE scaling '" + scaling + "' is not built by Canopy's graph yet");
        }
        int embedding = required(gguf, p + "embedding_length");
        int heads = required(gguf, p + "attention.head_count");
        int kvHeads = optional(gguf, p + "attention.head_count_kv").orElse(heads);
        int headDim = optional(gguf, p + "attention.key_length").orElse(embedding / heads);
        int headDimV = optional(gguf, p + "attention.value_length").orElse(headDim);
        if (headDimV != headDim) throw new UnsupportedModelException("different K and V head sizes are not supported");
        int ropeDims = optional(gguf, p + "rope.dimension_count").orElse(headDim);
        int vocab = optional(gguf, p + "vocab_size").orElseGet(() -> gguf.get("tokenizer.ggml.tokens")
                .map(v -> v instanceof List<?> l ? l.size() : Integer.parseInt(v.toString().replaceAll("\\D", "")))
                .orElse(0));
        float attnScale = gguf.getDouble(p + "attention.scale").orElse(0.0).floatValue();
        int layers = required(gguf, p + "block_count");
        int trainContext = optional(gguf, p + "context_length").orElse(4096);
        float ropeBase = gguf.getDouble(p + "rope.freq_base").orElse(10000.0).floatValue();
        AttentionVariant variant = VariantReader.read(gguf, arch, layers, trainContext, ropeBase, freqScale,
                embedding / heads, headDim);
        float kqScale = variant.queryScale() != 0f ? 1f : attnScale != 0f ? attnScale : (float) (1.0 / Math.sqrt(headDim));
        return new ModelHparams(arch, vocab,
                trainContext,
                embedding,
                layers,
                heads, kvHeads, headDim,
                required(gguf, p + "feed_forward_length"),
                ropeDims,
                ropeBase,
                freqScale,
                gguf.getDouble(p + "attention.layer_norm_rms_epsilon").orElse(1e-5).floatValue(),
                kqScale, variant);
    }

    static int required(GgufFile gguf, String key) {
        return optional(gguf, key).orElseThrow(() ->
                new ModelLoadException("GGUF file " + gguf.path().getFileName() + " lacks the required key " + key));
    }

    static Optional<Integer> optional(GgufFile gguf, String key) {
        Optional<Object> v = gguf.get(key);
        if (v.isPresent() && v.get() instanceof List<?>) {
            throw new UnsupportedModelException("per-layer values of " + key + " are not built by Canopy's graph yet");
        }
        return gguf.getLong(key).map(Long::intValue);
    }
}
