package dev.canopy.engine;

import dev.canopy.engine.model.Architecture;
import dev.canopy.engine.model.HparamsReader;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.gguf.GgufFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads {@link ModelInfo} from a GGUF file's metadata without loading its weights. */
public final class ModelInspector {
    private ModelInspector() {}

    public static ModelInfo inspect(Path file) {
        try (GgufFile g = GgufFile.open(file)) {
            String arch = g.getString("general.architecture").orElse("unknown");
            String name = g.getString("general.name").orElse(file.getFileName().toString());
            Map<Integer, Long> bytesByType = new HashMap<>();
            long params = 0;
            for (GgufFile.TensorInfo t : g.tensors()) {
                params += t.elements();
                if (t.shape().length >= 2) bytesByType.merge(t.type(), t.bytes(), Long::sum);
            }
            String quant = bytesByType.entrySet().stream().max(Map.Entry.comparingByValue())
                    .map(e -> GgmlType.nameOf(e.getKey()).toUpperCase(java.util.Locale.ROOT)).orElse("?");
            int vocab = g.get("tokenizer.ggml.tokens").map(v -> v instanceof List<?> l ? l.size()
                    : Integer.parseInt(v.toString().replaceAll("\\D", ""))).orElse(0);
            return new ModelInfo(file, name, arch,
                    intKey(g, arch + ".block_count"), intKey(g, arch + ".embedding_length"),
                    intKey(g, arch + ".attention.head_count"), intKey(g, arch + ".attention.head_count_kv"),
                    intKey(g, arch + ".context_length"), g.getDouble(arch + ".rope.freq_base").orElse(10000.0),
                    quant, params, Files.size(file), vocab, g.get("tokenizer.chat_template").isPresent(), footprint(g, arch));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The KV the engine will allocate: Canopy's own reading of the shape (head sizes, sliding-window
     * layers) for the architectures it builds, else llama.cpp's default of a row per token per layer.
     */
    private static KvFootprint footprint(GgufFile g, String arch) {
        if (Architecture.of(arch).isPresent()) {
            try {
                ModelHparams hp = HparamsReader.read(g);
                int sliding = 0;
                for (int il = 0; il < hp.layers(); il++) if (hp.variant().isSwa(il)) sliding++;
                long row = 2L * 2 * hp.kvWidth();
                return sliding == hp.layers() ? KvFootprint.dense(hp.layers(), hp.kvWidth()) // every layer slides: full cache
                        : new KvFootprint(hp.layers() - sliding, sliding, sliding > 0 ? hp.variant().slidingWindow() : 0, row);
            } catch (RuntimeException e) {
                // a variant Canopy does not build runs on libllama: fall through to its plain cache
            }
        }
        int layers = intKey(g, arch + ".block_count"), heads = intKey(g, arch + ".attention.head_count");
        int kvHeads = intKey(g, arch + ".attention.head_count_kv");
        int headDim = intKey(g, arch + ".attention.key_length");
        if (headDim == 0 && heads > 0) headDim = intKey(g, arch + ".embedding_length") / heads;
        return KvFootprint.dense(layers, (kvHeads > 0 ? kvHeads : heads) * headDim);
    }

    private static int intKey(GgufFile g, String key) {
        return g.getLong(key).map(Long::intValue).orElse(0);
    }
}
