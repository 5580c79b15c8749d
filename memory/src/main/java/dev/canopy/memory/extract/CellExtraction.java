package dev.canopy.memory.extract;

import java.util.List;

/**
 * What was extracted from one cell.
 *
 * @param fallback true when the model's output could not be used and the raw turns stand in
 */
public record CellExtraction(long cellId, String summary, List<ExtractedFact> facts, boolean fallback) {

    public CellExtraction {
        facts = List.copyOf(facts);
    }
}
