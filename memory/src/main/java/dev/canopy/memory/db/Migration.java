package dev.canopy.memory.db;

import java.util.List;

/**
 * One schema step: after it runs, {@code PRAGMA user_version} equals {@code version}.
 *
 * @param statements executed in order, in the same transaction as the version bump
 */
public record Migration(int version, String description, List<String> statements) {
    public Migration {
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1");
        }
        statements = List.copyOf(statements);
    }
}
