package dev.canopy.memory.forest;

import dev.canopy.memory.db.Sql;
import dev.canopy.memory.fact.FactOrigin;
import dev.canopy.memory.fact.FactRole;
import dev.canopy.memory.fact.FactStore;
import dev.canopy.memory.fact.NewFact;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Builds single trees of facts directly, for the tree tests. */
final class TreeFixture {

    private TreeFixture() {
    }

    static long fact(Sql s, long ts, String text) throws SQLException {
        return FactStore.insert(s, new NewFact(text, FactRole.DETAIL, Instant.ofEpochMilli(ts), null, null, List.of(),
                List.of(), List.of(), null), FactOrigin.USER, Instant.ofEpochMilli(ts));
    }

    static Tree tree(Sql s, String key, int fanout) throws SQLException {
        return Nodes.createTree(s, TreeKind.SCENE, key, key, fanout, null, null);
    }

    static Tree reload(Sql s, Tree t) throws SQLException {
        return Nodes.tree(s, t.id()).orElseThrow();
    }
}
