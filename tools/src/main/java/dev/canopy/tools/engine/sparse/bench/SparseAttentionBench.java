package dev.canopy.tools.engine.sparse.bench;

import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.AttentionShape;
import dev.canopy.engine.sparse.ChunkBoundaries;
import dev.canopy.engine.sparse.ChunkMap;
import dev.canopy.engine.sparse.QueryBlock;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.natives.ggml.GgmlBackend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Micro-benchmark of one attention layer of the passkey model's shape (6 query heads, 2 KV heads,
 * head dim 64) through a whole chunked prefill: every query block of C rows attends to all keys
 * before it, in a window bucketed to a power of two as the engine does. Compares dense flash
 * attention (what llama.cpp runs) with dhsa, window and topk at the same budget, on the CPU
 * backend, and prints time, speed-up and the compute buffer (peak activation memory).
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp ... dev.canopy.tools.engine.sparse.bench.SparseAttentionBench \
 *       [--lengths 4096,8192,16384] [--chunk 256] [--threads 2] [--budget 1024] [--repeat 3]
 * </pre>
 */
public final class SparseAttentionBench {
    private static final int HEAD_DIM = 64, HEADS = 6, KV_HEADS = 2;

    private SparseAttentionBench() {}

    record Row(String mode, double seconds, double lastBlockMs, long computeBytes) {}

    public static void main(String[] args) {
        Map<String, String> opt = options(args);
        int chunk = Integer.parseInt(opt.getOrDefault("chunk", "256"));
        int threads = Integer.parseInt(opt.getOrDefault("threads", "2"));
        int budget = Integer.parseInt(opt.getOrDefault("budget", "1024"));
        int repeat = Integer.parseInt(opt.getOrDefault("repeat", "3"));
        SparseAttentionSettings base = SparseAttentionSettings.of(AttentionMode.DHSA).withBudget(budget);
        try (GgmlBackend cpu = GgmlBackend.cpu(threads)) {
            System.out.printf(Locale.ROOT, "one attention layer, %d q heads / %d kv heads / head dim %d, query block %d, %s x %d threads, budget %d%n",
                    HEADS, KV_HEADS, HEAD_DIM, chunk, cpu.name(), threads, budget);
            for (String l : opt.getOrDefault("lengths", "4096,8192,16384").split(",")) {
                benchLength(cpu, Integer.parseInt(l.strip()), chunk, base, repeat);
            }
        }
    }

    private static void benchLength(GgmlBackend cpu, int length, int chunk, SparseAttentionSettings base, int repeat) {
        Random r = new Random(length);
        float[][] kv = segmentedKeys(r, length);
        float[] q = gaussian(r, chunk * HEADS * HEAD_DIM);
        long t0 = System.nanoTime();
        ChunkBoundaries boundaries = new ChunkBoundaries(HEAD_DIM, base.boundaries());
        List<int[]> startsPerBlock = new ArrayList<>();
        for (int first = 0; first < length; first += chunk) {        // what the engine does after each chunk
            startsPerBlock.add(boundaries.starts());
            boundaries.append(java.util.Arrays.copyOfRange(kv[2], first * HEAD_DIM, (first + chunk) * HEAD_DIM));
        }
        double hostBoundaryMs = (System.nanoTime() - t0) / 1e6;
        try (KvPair cache = new KvPair(cpu, HEAD_DIM, KV_HEADS, length)) {
            cache.fill(kv[0], kv[1]);
            List<Row> rows = new ArrayList<>();
            for (AttentionMode mode : AttentionMode.values()) {
                rows.add(prefill(cpu, cache, length, chunk, base.withMode(mode), q, startsPerBlock, repeat));
            }
            print(length, rows, cache.bytes(), hostBoundaryMs, boundaries.starts().length);
        }
    }

    /**
     * Runs every query block of a prefill of {@code length} tokens through one layer and sums the
     * compute time, each block's time being the best of {@code repeat} runs (the machine is shared).
     */
    private static Row prefill(GgmlBackend cpu, KvPair cache, int length, int chunk, SparseAttentionSettings s,
                               float[] q, List<int[]> startsPerBlock, int repeat) {
        Map<Integer, LayerGraph> graphs = new HashMap<>();
        double total = 0, last = 0;
        long peak = 0;
        try {
            for (int b = 0; b * chunk < length; b++) {
                QueryBlock block = QueryBlock.of(0, b * chunk, Math.min(chunk, length - b * chunk));
                int window = Math.min(length, Math.max(256, Integer.highestOneBit(Math.max(1, block.lastCell())) << 1));
                AttentionShape shape = new AttentionShape(HEAD_DIM, HEADS, KV_HEADS, chunk, window, 0.125f);
                LayerGraph g = graphs.computeIfAbsent(window, w -> new LayerGraph(cpu, cache, shape, s));
                peak = Math.max(peak, g.computeBufferBytes());
                ChunkMap map = ChunkMap.of(startsPerBlock.get(b), b * chunk, 0, block.lastCell(), window);
                last = Double.MAX_VALUE;
                for (int i = 0; i < repeat; i++) last = Math.min(last, g.run(q, block, map));
                total += last;
            }
        } finally {
            graphs.values().forEach(LayerGraph::close);
        }
        return new Row(s.mode().cliName(), total, last * 1e3, peak);
    }

    private static void print(int length, List<Row> rows, long cacheBytes, double hostMs, int chunks) {
        double dense = rows.get(0).seconds();
        System.out.printf(Locale.ROOT, "%nL = %d keys (K+V cache %.1f MiB; boundary detection on the host %.1f ms in all, %d chunks)%n",
                length, cacheBytes / 1048576.0, hostMs, chunks);
        System.out.printf(Locale.ROOT, "%-7s %12s %9s %14s %18s%n", "mode", "prefill (s)", "speed-up", "last block ms", "compute buf (MiB)");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-7s %12.3f %8.2fx %14.1f %18.2f%n", r.mode(), r.seconds(), dense / r.seconds(),
                    r.lastBlockMs(), r.computeBytes() / 1048576.0);
        }
    }

    /** K, V ([cells][Hkv*hd]) and the K means over KV heads ([cells][hd]); keys come in segments of 16..63. */
    private static float[][] segmentedKeys(Random r, int cells) {
        int w = HEAD_DIM * KV_HEADS;
        float[] k = new float[cells * w], v = gaussian(r, cells * w), means = new float[cells * HEAD_DIM];
        float[] mean = new float[w];
        for (int c = 0, next = 0; c < cells; c++) {
            if (c == next) {
                mean = gaussian(r, w);
                next = c + 16 + r.nextInt(48);
            }
            for (int i = 0; i < w; i++) {
                k[c * w + i] = mean[i] + 0.3f * (float) r.nextGaussian();
                means[c * HEAD_DIM + i % HEAD_DIM] += k[c * w + i] / KV_HEADS;
            }
        }
        return new float[][] {k, v, means};
    }

    private static float[] gaussian(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option value, got " + args[i]);
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }
}
