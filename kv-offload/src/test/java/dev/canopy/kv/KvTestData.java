package dev.canopy.kv;

import dev.canopy.kv.tier.PageStore;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Deterministic KV rows and small layouts for the tests (and the child JVM). */
final class KvTestData {
    static final int KV_HEADS = 2;
    static final int HEAD_DIM = 64;
    static final int QUERY_HEADS = 4;
    static final int ROW = KV_HEADS * HEAD_DIM;
    static final StoreIdentity IDENTITY = new StoreIdentity("size=1;mtime=2;edges-sha256=abc", StoreIdentity.settingsHash("ctx=4096", "kv=f16"));

    private KvTestData() {}

    static KvLayout layout(int layers, int pageTokens, KvType hot) {
        return KvLayout.uniform(layers, KV_HEADS, HEAD_DIM, QUERY_HEADS, pageTokens, hot);
    }

    static KvStoreSpec spec(Path dir, String id, KvLayout layout, KvBudgets budgets) {
        return new KvStoreSpec(dir, KvKey.named(id), IDENTITY, layout, budgets, TierDevices.cpuOnly());
    }

    /** Host budget that holds {@code fraction} of {@code tokens} tokens of KV (but at least one slot per layer). */
    static long hostBudget(KvLayout l, int tokens, double fraction) {
        long slot = PageStore.hotSlotBytes(l);
        long want = (long) (l.kvBytes(tokens) * fraction);
        return Math.max(want, l.layers() * slot) + 64;
    }

    /** The K (v = false) or V row of one token of one layer: a function of (seed, layer, position) only. */
    static float[] row(long seed, int layer, int position, boolean v) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + layer * 7919L + position * 31L + (v ? 1 : 0));
        float[] out = new float[ROW];
        for (int i = 0; i < ROW; i++) out[i] = (float) (r.nextGaussian() * (1 + (i % 7)));
        return out;
    }

    static float[] rows(long seed, int layer, int first, int count, boolean v) {
        float[] out = new float[count * ROW];
        for (int t = 0; t < count; t++) System.arraycopy(row(seed, layer, first + t, v), 0, out, t * ROW, ROW);
        return out;
    }

    /** Declares {@code count} tokens and appends their rows (F32) to every layer. */
    static void append(KvStore s, long seed, int count) {
        int first = s.addTokens(tokenIds(seed, s.tokenCount(), count));
        for (int l = 0; l < s.layout().layers(); l++) {
            s.append(l, first, count, MemorySegment.ofArray(rows(seed, l, first, count, false)),
                    MemorySegment.ofArray(rows(seed, l, first, count, true)), KvType.F32);
        }
    }

    static int[] tokenIds(long seed, int first, int count) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = (int) ((seed * 31 + first + i) % 32000);
        return ids;
    }

    /** Materializes every page of a layer and returns [K bytes, V bytes]. */
    static byte[][] gatherAll(KvStore s, int layer) {
        int tokens = s.tokenCount(layer);
        try (GatherBuffer g = s.newGatherBuffer(Math.max(1, tokens)); Arena a = Arena.ofConfined()) {
            Gathered got = s.materialize(layer, s.allPages(layer), g);
            long bytes = got.tokens() * g.rowBytes();
            MemorySegment k = a.allocate(Math.max(1, bytes));
            MemorySegment v = a.allocate(Math.max(1, bytes));
            g.readKeys(got.tokens(), k);
            g.readValues(got.tokens(), v);
            return new byte[][] {k.asSlice(0, bytes).toArray(ValueLayout.JAVA_BYTE), v.asSlice(0, bytes).toArray(ValueLayout.JAVA_BYTE)};
        }
    }

    /** Bytes of a gather as floats (F32 or F16 rows). */
    static float[] floats(byte[] bytes, KvType type) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        if (type == KvType.F32) return seg.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
        short[] h = seg.toArray(ValueLayout.JAVA_SHORT_UNALIGNED);
        float[] out = new float[h.length];
        for (int i = 0; i < h.length; i++) out[i] = Float.float16ToFloat(h[i]);
        return out;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
