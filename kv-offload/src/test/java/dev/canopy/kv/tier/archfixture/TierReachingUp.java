package dev.canopy.kv.tier.archfixture;

import dev.canopy.kv.KvStore;
import dev.canopy.kv.persist.Persistence;

/** A deliberate violation for {@code KvPackageRulesTest}: a tier class that uses persistence and the facade, and shares mutable state. */
public final class TierReachingUp {
    int shared;

    Object persistence() {
        return Persistence.class;
    }

    int tokens(KvStore s) {
        return s.tokenCount();
    }
}
