package dev.canopy.kv.bench.archfixture;

import dev.canopy.kv.KvLayout;
import dev.canopy.kv.tier.PageStore;

/** A deliberate violation for {@code KvPackageRulesTest}: a client of the store that reaches into its tiers. */
public final class BenchReachingIn {
    private BenchReachingIn() {}

    static long slot(KvLayout l) {
        return PageStore.hotSlotBytes(l);
    }
}
