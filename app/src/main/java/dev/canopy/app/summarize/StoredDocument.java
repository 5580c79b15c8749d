package dev.canopy.app.summarize;

import java.time.Instant;

/** A document that has been summarized (or started), as kept in the database. */
public record StoredDocument(String contentHash, String title, String sourcePath, String format, int places,
                             Instant addedAt) {}
