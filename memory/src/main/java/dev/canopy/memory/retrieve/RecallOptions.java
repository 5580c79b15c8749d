package dev.canopy.memory.retrieve;

/**
 * Retrieval knobs.
 *
 * @param k           facts returned
 * @param beam        nodes kept per level while descending a tree (MemForest: 10)
 * @param tokenBudget the most tokens the memory block may take in the prompt
 * @param candidates  full-text hits considered (facts and nodes each)
 * @param maxTrees    candidate trees descended, best first
 * @param weights     how a fact's and a node's score add up
 */
public record RecallOptions(int k, int beam, int tokenBudget, int candidates, int maxTrees, Weights weights) {

    /**
     * Score weights.
     *
     * @param path a fact's score adds {@code path} times the score of the tree path that reached it
     * @param cell and {@code cell} times the support of its cell (the turn next to it)
     * @param node an inner node's score is {@code node} times its own text match plus {@code 1 - node}
     *             times the density of matching facts below it
     */
    public record Weights(double path, double cell, double node) {
        public Weights {
            if (!(path >= 0) || !(cell >= 0) || !(node >= 0 && node <= 1)) {
                throw new IllegalArgumentException("path and cell weights must be >= 0, the node weight in [0, 1]");
            }
        }

        public static Weights defaults() {
            return new Weights(0.5, 0.3, 0.5);
        }
    }

    public RecallOptions {
        if (k < 1 || beam < 1 || candidates < 1 || tokenBudget < 0 || maxTrees < 1) {
            throw new IllegalArgumentException("k, beam, candidates and maxTrees must be >= 1, tokenBudget >= 0");
        }
        if (weights == null) throw new IllegalArgumentException("weights are required");
    }

    /** With 16 trees and the default weights. */
    public RecallOptions(int k, int beam, int tokenBudget, int candidates) {
        this(k, beam, tokenBudget, candidates, 16, Weights.defaults());
    }

    public static RecallOptions defaults() {
        return new RecallOptions(10, 10, 600, 200);
    }

    public RecallOptions withK(int newK) {
        return new RecallOptions(newK, beam, tokenBudget, candidates, maxTrees, weights);
    }

    public RecallOptions withTokenBudget(int budget) {
        return new RecallOptions(k, beam, budget, candidates, maxTrees, weights);
    }

    public RecallOptions withMaxTrees(int trees) {
        return new RecallOptions(k, beam, tokenBudget, candidates, trees, weights);
    }

    public RecallOptions withWeights(Weights w) {
        return new RecallOptions(k, beam, tokenBudget, candidates, maxTrees, w);
    }
}
