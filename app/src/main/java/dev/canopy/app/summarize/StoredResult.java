package dev.canopy.app.summarize;

import java.time.Instant;

/** A finished summary as kept in the database with its document, for the UI's history and for export. */
public record StoredResult(long id, String runId, String documentHash, SummaryStyle style, String instruction,
                           String modelName, String text, String markdown, Instant createdAt) {}
