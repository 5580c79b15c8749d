package dev.canopy.memory.fact;

/** A fact found by full-text search, with its BM25 score (higher is better). */
public record FactHit(Fact fact, double score) {
}
