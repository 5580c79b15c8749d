package dev.canopy.memory.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The connection as seen by one unit of work: cached prepared statements and small helpers that
 * bind arguments by type ({@code null}, numbers, strings, booleans as 0/1, enums by name,
 * {@link Instant} as epoch milliseconds, {@code byte[]} as BLOB). Only valid inside
 * {@link Database#read} / {@link Database#write}; never keep it.
 */
public final class Sql {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static final int CACHE_SIZE = 256;

    private final Connection connection;
    private final Map<String, PreparedStatement> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= CACHE_SIZE) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };

    Sql(Connection connection) {
        this.connection = connection;
    }

    public Connection connection() {
        return connection;
    }

    /** A cached statement with its parameters cleared. Do not close it. */
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = cache.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            cache.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    /** Runs DDL or a pragma (no parameters, not cached). */
    public void exec(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    public int update(String sql, Object... args) throws SQLException {
        PreparedStatement ps = prepare(sql);
        bind(ps, args);
        return ps.executeUpdate();
    }

    /** Runs an INSERT and returns the new rowid. */
    public long insert(String sql, Object... args) throws SQLException {
        update(sql, args);
        return longValue("SELECT last_insert_rowid()");
    }

    public <T> List<T> list(String sql, Row<T> row, Object... args) throws SQLException {
        PreparedStatement ps = prepare(sql);
        bind(ps, args);
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row.map(rs));
            }
        }
        return out;
    }

    /** Like {@link #list} but without caching the statement: for SQL built with variable IN-lists. */
    public <T> List<T> listOnce(String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.map(rs));
                }
            }
            return out;
        }
    }

    public <T> Optional<T> one(String sql, Row<T> row, Object... args) throws SQLException {
        PreparedStatement ps = prepare(sql);
        bind(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
        }
    }

    /** The first column of the first row as a long, or 0 when there is no row or it is NULL. */
    public long longValue(String sql, Object... args) throws SQLException {
        return one(sql, rs -> rs.getLong(1), args).orElse(0L);
    }

    public List<Long> longs(String sql, Object... args) throws SQLException {
        return list(sql, rs -> rs.getLong(1), args);
    }

    /** A comma-separated list of {@code n} placeholders, for {@code IN (...)}. */
    public static String placeholders(int n) {
        return n == 0 ? "NULL" : "?" + ",?".repeat(n - 1);
    }

    /** Reads a nullable INTEGER column. */
    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            int p = i + 1;
            switch (a) {
                case null -> ps.setNull(p, Types.NULL);
                case Long l -> ps.setLong(p, l);
                case Integer n -> ps.setLong(p, n);
                case Double d -> ps.setDouble(p, d);
                case Float f -> ps.setDouble(p, f);
                case Boolean b -> ps.setLong(p, b ? 1 : 0);
                case String s -> ps.setString(p, s);
                case byte[] bytes -> ps.setBytes(p, bytes);
                case Instant t -> ps.setLong(p, t.toEpochMilli());
                case Enum<?> e -> ps.setString(p, e.name());
                case RowId id -> ps.setLong(p, id.value());
                default -> throw new IllegalArgumentException("Cannot bind " + a.getClass());
            }
        }
    }

    void closeAll() {
        cache.values().forEach(Sql::closeQuietly);
        cache.clear();
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException ignored) {
            // closing a cached statement cannot lose data
        }
    }
}
