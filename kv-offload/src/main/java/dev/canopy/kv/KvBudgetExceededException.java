package dev.canopy.kv;

/** A tier's byte budget cannot hold what the store must keep there (e.g. the page file is full). */
public final class KvBudgetExceededException extends RuntimeException {
    private final KvTier tier;

    public KvBudgetExceededException(KvTier tier, String message) {
        super(message);
        this.tier = tier;
    }

    public KvTier tier() {
        return tier;
    }
}
