package dev.canopy.memory.ingest;

import dev.canopy.memory.summarize.RefreshReport;
import java.time.Duration;

/**
 * What one ingest run did.
 *
 * @param factsMerged facts that repeated a stored one (a source was added instead)
 * @param fallbacks   cells whose model output was unusable (their turns were kept as facts)
 * @param extraction  time spent in the extractor
 */
public record IngestReport(int cells, int factsAdded, int factsMerged, int fallbacks, RefreshReport refresh,
                           Duration extraction, Duration total) {
}
