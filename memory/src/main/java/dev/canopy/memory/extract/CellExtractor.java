package dev.canopy.memory.extract;

import java.util.List;

/**
 * Port: turns a batch of cells into memory items and cell summaries. The ingest pipeline hands it
 * {@link #batchSize()} cells at a time; an implementation backed by a model decodes them as parallel
 * sequences of one batch.
 */
public interface CellExtractor {

    /** One result per cell, in order. */
    List<CellExtraction> extract(List<Cell> cells);

    /** How many cells to pass per call (1 = sequential). */
    /** The origin recorded for facts this extractor produces. */
    default dev.canopy.memory.fact.FactOrigin origin() {
        return dev.canopy.memory.fact.FactOrigin.EXTRACTED;
    }

    default int batchSize() {
        return 8;
    }
}
