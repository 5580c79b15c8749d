package dev.canopy.engine.testing;

import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tiny random-weight GGUFs written once per test JVM (2 layers, 64 wide) and shared by the tests. */
public final class TinyModelFiles {
    private static final Map<String, Path> FILES = new ConcurrentHashMap<>();
    private static Path dir;

    private TinyModelFiles() {}

    public static Path get(String arch, GgmlType type) {
        return FILES.computeIfAbsent(arch + "-" + type, k -> {
            try {
                return TinyModels.write(TinyModelSpec.tiny(arch).withType(type), directory().resolve(k + ".gguf"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static synchronized Path directory() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("canopy-engine-test");
            dir.toFile().deleteOnExit();
        }
        return dir;
    }

    /** Same prompt token ids for every test: a deterministic pseudo-random walk over the vocabulary. */
    public static int[] promptTokens(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        int[] out = new int[n];
        out[0] = 1; // BOS
        for (int i = 1; i < n; i++) out[i] = 3 + r.nextInt(31990);
        return out;
    }
}
