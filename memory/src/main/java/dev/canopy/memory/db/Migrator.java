package dev.canopy.memory.db;

import java.util.List;

/** Applies {@link Schema#migrations()} above the file's {@code user_version}, one transaction each. */
final class Migrator {

    private Migrator() {
    }

    static void migrate(Database db) {
        List<Migration> all = Schema.migrations();
        int latest = all.getLast().version();
        int current = db.read("reading the schema version", s -> (int) s.longValue("PRAGMA user_version"));
        if (current > latest) {
            throw new MemoryStoreException(MemoryStoreException.Kind.TOO_NEW,
                    "The memory database at " + db.file() + " has schema version " + current
                            + ", newer than this version of Canopy understands (" + latest + "). Update Canopy.");
        }
        for (Migration m : all) {
            if (m.version() <= current) {
                continue;
            }
            db.write("migrating to schema version " + m.version(), s -> {
                for (String statement : m.statements()) {
                    s.exec(statement);
                }
                s.exec("PRAGMA user_version = " + m.version());
                return null;
            });
        }
    }

    /** The schema version this code writes. */
    static int latestVersion() {
        return Schema.migrations().getLast().version();
    }
}
