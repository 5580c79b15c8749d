package dev.canopy.engine;

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
                    quant, params, Files.size(file), vocab, g.get("tokenizer.chat_template").isPresent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int intKey(GgufFile g, String key) {
        return g.getLong(key).map(Long::intValue).orElse(0);
    }
}
