package dev.canopy.tools.kv.bench;

import dev.canopy.kv.KvKey;
import dev.canopy.kv.GatherBuffer;
import dev.canopy.kv.KvBudgets;
import dev.canopy.kv.KvLayout;
import dev.canopy.kv.KvStats;
import dev.canopy.kv.KvStore;
import dev.canopy.kv.KvStoreSpec;
import dev.canopy.kv.KvType;
import dev.canopy.kv.StoreIdentity;
import dev.canopy.kv.TierDevices;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Micro-benchmark of the store alone (no model): fills a context, then runs simulated decode
 * steps (per layer: append one token, select, materialize into a gather buffer, prefetch the
 * next layers) all in RAM and with the host budget at a fraction of the KV size, dense (every
 * page) and sparse (a token budget). Prints steps/s, the ratio constrained / all in RAM (both with
 * one shared gather buffer), and bytes read from disk per step; all in RAM with a gather buffer
 * kept per layer is the reference closest to an engine's own dense cache. Disk reads mostly hit the OS page cache here (the file was just written), so
 * the constrained figures are upper bounds for a real SSD: divide the bytes per step by its read
 * rate to estimate the I/O time.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.canopy.tools.kv.bench.KvStoreBench
 *   [--tokens 32768] [--layers 4] [--kv-heads 4] [--head-dim 128] [--query-heads 16] [--page 64]
 *   [--ram-fraction 0.25] [--budget-tokens 4096] [--steps 8] [--rounds 5] [--cold F16|Q8_0] [--dir DIR] [--modes dense,sparse] [--clock wall|cpu]</pre>
 */
public final class KvStoreBench {
    private record Result(double stepsPerSecond, double diskBytesPerStep, KvStats stats) {}

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    /** Time steps by the engine thread's CPU time instead of the wall clock (for machines shared with other work). */
    private static boolean cpuTime;

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        int tokens = Integer.parseInt(o.getOrDefault("tokens", "32768"));
        int layers = Integer.parseInt(o.getOrDefault("layers", "4"));
        int kvHeads = Integer.parseInt(o.getOrDefault("kv-heads", "4"));
        int headDim = Integer.parseInt(o.getOrDefault("head-dim", "128"));
        int queryHeads = Integer.parseInt(o.getOrDefault("query-heads", String.valueOf(kvHeads * 4)));
        int page = Integer.parseInt(o.getOrDefault("page", "64"));
        double fraction = Double.parseDouble(o.getOrDefault("ram-fraction", "0.25"));
        int budgetTokens = Integer.parseInt(o.getOrDefault("budget-tokens", "4096"));
        int steps = Integer.parseInt(o.getOrDefault("steps", "8"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "5"));
        KvType cold = KvType.valueOf(o.getOrDefault("cold", "F16"));
        cpuTime = o.getOrDefault("clock", "wall").equals("cpu");
        boolean tempDir = !o.containsKey("dir");
        Path dir = tempDir ? Files.createTempDirectory("canopy-kv-bench") : Path.of(o.get("dir"));

        KvLayout layout = KvLayout.uniform(layers, kvHeads, headDim, queryHeads, page, KvType.F16);
        long kvBytes = layout.kvBytes(tokens);
        TierDevices devices = TierDevices.detect();
        System.out.printf("KV: %d tokens x %d layers x %d values (F16) = %,d MiB; cold %s; host budget %.0f%% = %,d MiB%n",
                tokens, layers, layout.rowElements(), kvBytes >> 20, cold, fraction * 100, (long) (kvBytes * fraction) >> 20);
        System.out.println(devices.description() + "; timing by " + (cpuTime ? "the engine thread's CPU time" : "the wall clock"));
        KvBudgets ram = new KvBudgets(0, KvBudgets.UNLIMITED, KvBudgets.UNLIMITED, cold);
        KvBudgets tight = new KvBudgets(0, (long) (kvBytes * fraction), KvBudgets.UNLIMITED, cold);
        StoreIdentity id = new StoreIdentity("bench-model", "bench-settings");

        String modes = o.getOrDefault("modes", "dense,sparse");
        for (boolean dense : new boolean[] {true, false}) {
            if (!modes.contains(dense ? "dense" : "sparse")) continue;
            int attend = dense ? Integer.MAX_VALUE : budgetTokens;
            String what = dense ? "dense (every page)" : "sparse (" + budgetTokens + " tokens: sink 64, window 1024, top pages)";
            int capacity = tokens + (3 * rounds + 3) * steps + 1;
            try (KvStore a = filled(new KvStoreSpec(dir, KvKey.named("ram"), id, layout, ram, devices), tokens);
                 KvStore b = filled(new KvStoreSpec(dir, KvKey.named("tight"), id, layout, tight, devices), tokens);
                 Buffers kept = new Buffers(a, layers, capacity);
                 Buffers sharedA = new Buffers(a, 1, capacity);
                 Buffers sharedB = new Buffers(b, 1, capacity)) {
                measure(a, kept, steps, attend, 1); // warm-up
                measure(a, sharedA, steps, attend, 1);
                measure(b, sharedB, steps, attend, 1);
                double[] sk = new double[rounds];
                double[] sa = new double[rounds];
                double[] sb = new double[rounds];
                double[] ratio = new double[rounds];
                KvStats before = b.stats();
                for (int i = 0; i < rounds; i++) { // interleaved, so machine load hits all alike
                    sk[i] = measure(a, kept, steps, attend, 2 + i).stepsPerSecond;
                    sa[i] = measure(a, sharedA, steps, attend, 2 + i).stepsPerSecond;
                    sb[i] = measure(b, sharedB, steps, attend, 2 + i).stepsPerSecond;
                    ratio[i] = sb[i] / sa[i];
                }
                KvStats d = b.stats().minus(before);
                double diskPerStep = (double) d.diskBytesRead() / (rounds * steps);
                System.out.printf("%s, median of %d interleaved rounds of %d steps%n"
                                + "  all in RAM, a kept gather buffer per layer: %8.1f steps/s (copies only changed pages)%n"
                                + "  all in RAM, one shared gather buffer:       %8.1f steps/s%n"
                                + "  %3.0f%% RAM budget, one shared gather buffer: %8.1f steps/s  ratio %.2f (rounds %.2f..%.2f)%n"
                                + "  disk read %,.0f bytes/step (%.1f%% of the KV); %s%n",
                        what, rounds, steps, median(sk), median(sa), fraction * 100, median(sb), median(ratio), min(ratio), max(ratio),
                        diskPerStep, 100.0 * diskPerStep / kvBytes, d);
                a.delete();
                b.delete();
            }
        }
        if (tempDir) Files.deleteIfExists(dir);
    }

    /** Gather buffers: one per layer, or one shared by every layer. */
    private record Buffers(GatherBuffer[] buffers) implements AutoCloseable {
        Buffers(KvStore kv, int n, int capacity) {
            this(new GatherBuffer[n]);
            for (int i = 0; i < n; i++) buffers[i] = kv.newGatherBuffer(capacity);
        }

        GatherBuffer of(int layer) {
            return buffers[layer % buffers.length];
        }

        @Override
        public void close() {
            for (GatherBuffer g : buffers) g.close();
        }
    }

    private static KvStore filled(KvStoreSpec spec, int tokens) {
        KvLayout l = spec.layout();
        int row = l.rowElements();
        SplittableRandom r = new SplittableRandom(42);
        KvStore kv = KvStore.create(spec);
        try (Arena arena = Arena.ofConfined()) {
            int chunk = 512;
            MemorySegment k = arena.allocate((long) chunk * row * 4, 64);
            MemorySegment v = arena.allocate((long) chunk * row * 4, 64);
            for (int done = 0; done < tokens; done += chunk) {
                int n = Math.min(chunk, tokens - done);
                randomRows(k, n * row, r);
                randomRows(v, n * row, r);
                int p0 = kv.addTokens(new int[n]);
                for (int layer = 0; layer < l.layers(); layer++) kv.append(layer, p0, n, k, v, KvType.F32);
            }
        }
        return kv;
    }

    private static Result measure(KvStore kv, Buffers g, int steps, int attendTokens, long seed) {
        KvLayout l = kv.layout();
        SplittableRandom r = new SplittableRandom(seed);
        SplittableRandom fr = new SplittableRandom(7); // the same focus every round: queries drift around it
        float[] focus = new float[l.queryHeads() * l.headDim()];
        for (int i = 0; i < focus.length; i++) focus[i] = (float) fr.nextGaussian();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocate(l.rowElements() * 4L, 64);
            MemorySegment v = arena.allocate(l.rowElements() * 4L, 64);
            KvStats before = kv.stats();
            long t0 = System.nanoTime();
            long c0 = CPU.getCurrentThreadCpuTime();
            for (int s = 0; s < steps; s++) step(kv, g, l, k, v, focus, r, attendTokens);
            double secs = cpuTime ? (CPU.getCurrentThreadCpuTime() - c0) / 1e9 : (System.nanoTime() - t0) / 1e9;
            KvStats d = kv.stats().minus(before);
            return new Result(steps / secs, (double) d.diskBytesRead() / steps, d);
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static double min(double[] v) { return java.util.Arrays.stream(v).min().orElse(0); }

    private static double max(double[] v) { return java.util.Arrays.stream(v).max().orElse(0); }

    private static void step(KvStore kv, Buffers g, KvLayout l, MemorySegment k, MemorySegment v, float[] focus,
                             SplittableRandom r, int attendTokens) {
        int row = l.rowElements();
        randomRows(k, row, r);
        randomRows(v, row, r);
        int p = kv.addTokens(0);
        float[] q = focus.clone();
        for (int i = 0; i < q.length; i++) q[i] += (float) (r.nextGaussian() * 0.3);
        for (int layer = 0; layer < l.layers(); layer++) {
            kv.prefetchAhead(layer, 2);
            kv.append(layer, p, 1, k, v, KvType.F32);
            int[] pages = kv.select(layer, q, attendTokens, 64, 1024);
            kv.materialize(layer, pages, g.of(layer));
        }
    }

    private static void randomRows(MemorySegment seg, int n, SplittableRandom r) {
        for (int i = 0; i < n; i++) seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) r.nextGaussian());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --name value, got " + args[i]);
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }

}
