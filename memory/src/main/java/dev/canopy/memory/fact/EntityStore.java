package dev.canopy.memory.fact;

import dev.canopy.memory.db.Sql;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Named entities (people, pets, places...) and which facts mention them. */
public final class EntityStore {

    /** An entity. {@code user}: the person using Canopy (they always get an entity tree). */
    public record Entity(long id, String name, String display, boolean user) {
    }

    /** How widely an entity is mentioned: facts and distinct sessions. */
    public record Spread(long facts, long sessions) {
    }

    private EntityStore() {
    }

    public static String key(String display) {
        return display.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    public static long ensure(Sql s, String display, boolean user) throws SQLException {
        String name = key(display);
        s.update("INSERT INTO entities(name, display, is_user) VALUES (?,?,?) ON CONFLICT(name) DO "
                + "UPDATE SET is_user = max(is_user, excluded.is_user)", name, display.trim(), user);
        return s.longValue("SELECT id FROM entities WHERE name = ?", name);
    }

    /** Marks the entity with this display name as the user. */
    public static long markUser(Sql s, String display) throws SQLException {
        return ensure(s, display, true);
    }

    /** Links the fact to every named entity and participant (creating entities as needed). */
    public static void linkNames(Sql s, long factId, List<String> entities, List<String> participants)
            throws SQLException {
        Set<String> all = new LinkedHashSet<>();
        entities.forEach(e -> all.add(e.trim()));
        participants.forEach(p -> all.add(p.trim()));
        for (String e : all) {
            if (!e.isEmpty()) {
                link(s, factId, ensure(s, e, false));
            }
        }
    }

    public static void link(Sql s, long factId, long entityId) throws SQLException {
        s.update("INSERT OR IGNORE INTO fact_entities(fact_id, entity_id) VALUES (?,?)", factId, entityId);
    }

    public static List<Entity> ofFact(Sql s, long factId) throws SQLException {
        return s.list("""
                SELECT e.id, e.name, e.display, e.is_user FROM fact_entities fe JOIN entities e ON e.id = fe.entity_id
                WHERE fe.fact_id = ? ORDER BY e.id""",
                rs -> new Entity(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4) != 0), factId);
    }

    public static List<Entity> all(Sql s) throws SQLException {
        return s.list("SELECT id, name, display, is_user FROM entities ORDER BY id",
                rs -> new Entity(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4) != 0));
    }

    public static Spread spread(Sql s, long entityId) throws SQLException {
        return s.one("""
                SELECT count(DISTINCT fe.fact_id), count(DISTINCT c.conversation_id || ':' || c.session_no)
                FROM fact_entities fe JOIN fact_sources fs ON fs.fact_id = fe.fact_id
                LEFT JOIN cells c ON c.id = fs.cell_id WHERE fe.entity_id = ?""",
                rs -> new Spread(rs.getLong(1), rs.getLong(2)), entityId).orElse(new Spread(0, 0));
    }

    /**
     * Whether the entity may have this spread: a cheap test that reads at most {@code minFacts} +
     * {@code minSessions} index rows. False means it certainly has not; true must be confirmed with
     * {@link #spread}, because {@code entity_sessions} may still list a session whose facts are gone.
     */
    public static boolean mayReach(Sql s, long entityId, int minFacts, int minSessions) throws SQLException {
        return s.longValue("SELECT count(*) FROM (SELECT 1 FROM fact_entities WHERE entity_id = ? LIMIT ?)",
                entityId, Math.max(minFacts, 0)) >= minFacts
                && s.longValue("SELECT count(*) FROM (SELECT 1 FROM entity_sessions WHERE entity_id = ? LIMIT ?)",
                entityId, Math.max(minSessions, 0)) >= minSessions;
    }

    /** Fact ids mentioning the entity, in time order. */
    public static List<Long> facts(Sql s, long entityId) throws SQLException {
        return s.longs("""
                SELECT f.id FROM fact_entities fe JOIN facts f ON f.id = fe.fact_id WHERE fe.entity_id = ?
                ORDER BY f.ts, f.id""", entityId);
    }

    /** Removes entities no fact mentions any more (their trees go with them). */
    public static int pruneUnused(Sql s) throws SQLException {
        return s.update("DELETE FROM entities WHERE is_user = 0 AND id NOT IN (SELECT entity_id FROM fact_entities)");
    }
}
