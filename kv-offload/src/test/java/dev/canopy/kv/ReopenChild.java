package dev.canopy.kv;

import java.nio.file.Path;

/**
 * Runs in a new JVM: opens the saved store, prints the hash of every layer's gathered K and V,
 * appends {@code more} tokens and prints the hashes again.
 * Args: folder, conversation id, seed, tokens the conversation has, more.
 */
public final class ReopenChild {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[2]);
        int tokens = Integer.parseInt(args[3]);
        int more = Integer.parseInt(args[4]);
        KvStoreSpec spec = KvTestData.spec(dir, args[1], PersistenceTest.LAYOUT, PersistenceTest.BUDGETS);
        var opened = KvStore.open(spec, KvTestData.tokenIds(seed, 0, tokens));
        if (opened.isEmpty()) {
            System.out.println("REFUSED");
            return;
        }
        try (KvStore s = opened.get()) {
            System.out.println("tokens " + s.tokenCount() + " attachment " + new String(s.attachment("logits").orElse(new byte[0])));
            print(s, "open");
            KvTestData.append(s, seed, more);
            print(s, "continued");
            System.out.println("written " + s.stats().diskBytesWritten());
        }
    }

    static void print(KvStore s, String tag) {
        for (int l = 0; l < s.layout().layers(); l++) {
            byte[][] kv = KvTestData.gatherAll(s, l);
            System.out.println(tag + " " + l + " " + KvTestData.sha256(kv[0]) + " " + KvTestData.sha256(kv[1]));
        }
    }
}
