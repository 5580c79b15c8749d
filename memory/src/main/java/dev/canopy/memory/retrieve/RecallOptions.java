package dev.canopy.memory.retrieve;

/**
 * Retrieval knobs.
 *
 * @param k           facts returned
 * @param beam        nodes kept per level while descending a tree (MemForest: 10)
 * @param tokenBudget the most tokens the memory block may take in the prompt
 * @param candidates  full-text hits considered (facts and nodes each)
 */
public record RecallOptions(int k, int beam, int tokenBudget, int candidates) {

    public RecallOptions {
        if (k < 1 || beam < 1 || candidates < 1 || tokenBudget < 0) {
            throw new IllegalArgumentException("k, beam and candidates must be >= 1, tokenBudget >= 0");
        }
    }

    public static RecallOptions defaults() {
        return new RecallOptions(10, 10, 600, 200);
    }

    public RecallOptions withK(int newK) {
        return new RecallOptions(newK, beam, tokenBudget, candidates);
    }

    public RecallOptions withTokenBudget(int budget) {
        return new RecallOptions(k, beam, budget, candidates);
    }
}
