package dev.canopy.memory.db;

import java.sql.SQLException;

/** A unit of database work. */
@FunctionalInterface
public interface SqlWork<T> {
    T apply(Sql sql) throws SQLException;
}
