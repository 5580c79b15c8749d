package dev.canopy.memory.manage;

import dev.canopy.memory.fact.FactId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.memory.Chats;
import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.forest.TreeChecker;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code FactEditor.addAll} (the bulk path the insert bench fills with) and entity-tree qualification. */
class BatchAddTest {

    @TempDir
    Path dir;

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2024-06-01T12:00:00Z"));

    @Test
    void addAllBuildsExactlyTheForestThatSingleAddsBuild() {
        List<String> texts = new ArrayList<>();
        String[] places = {"Lisbon", "Kyoto", "the garden", "Porto"};
        for (int i = 0; i < 150; i++) {
            texts.add("The user visited " + places[i % places.length] + " on day " + i + " with Ana.");
        }
        MemoryConfig config = MemoryConfig.noModel().withClock(CLOCK);
        try (MemoryStore single = MemoryStore.open(dir.resolve("single.db"), config);
             MemoryStore batch = MemoryStore.open(dir.resolve("batch.db"), config)) {
            texts.forEach(t -> single.facts().add(t, "Sam"));
            List<Long> ids = new ArrayList<>(batch.facts().addAll(texts.subList(0, 64), "Sam"));
            ids.addAll(batch.facts().addAll(texts.subList(64, texts.size()), "Sam"));

            assertThat(ids).hasSize(texts.size()).doesNotHaveDuplicates();
            assertThat(batch.facts().get(new FactId(ids.get(7))).orElseThrow().text()).isEqualTo(texts.get(7));
            assertThat(batch.facts().search("Porto", 100)).hasSize(37) // every fourth fact, all indexed
                    .allSatisfy(h -> assertThat(ids).contains(h.fact().id()));
            assertThat(forest(batch)).isNotEmpty().isEqualTo(forest(single));
            assertThat(count(batch, "SELECT count(*) FROM nodes WHERE dirty > 0")).isZero();
            assertThat(count(batch, "SELECT count(*) FROM trees t JOIN entities e ON e.id = t.entity_id "
                    + "WHERE e.display = 'Sam'")).isEqualTo(1); // the user's tree holds every fact
            assertThat(batch.database().<List<String>>read("check", s -> TreeChecker.check(s, true))).isEmpty();
            assertThat(batch.integrityProblems()).isEmpty();
        }
    }

    @Test
    void anEntityGetsItsTreeOnlyOnceItSpansTwoSessions() {
        try (MemoryStore store = MemoryStore.open(dir.resolve("q.db"), MemoryConfig.noModel())) {
            for (int i = 0; i < 20; i++) {
                store.facts().add("The user misses Lisbon, note " + i + ".", "Sam"); // many facts, no session
            }
            var c = store.conversations().create("c", null, null).id();
            Instant t = Chats.add(store, c, Instant.parse("2024-02-01T09:00:00Z"), "Sam", "Bo",
                    "I flew to Lisbon.", "Lisbon is lovely.", "Lisbon trams are old.", "Enjoy Lisbon!");
            store.rememberAll();
            assertThat(lisbonTrees(store)).as("one session is not enough").isZero();

            Chats.add(store, c, t.plusSeconds(3 * 86_400), "Sam", "Bo", "Back from Lisbon.", "Welcome back!");
            store.rememberAll();

            assertThat(lisbonTrees(store)).isEqualTo(1);
            long lisbonFacts = count(store, "SELECT count(*) FROM fact_entities fe JOIN entities e ON e.id = fe.entity_id"
                    + " WHERE e.display = 'Lisbon'");
            assertThat(count(store, "SELECT r.item_count FROM trees t JOIN entities e ON e.id = t.entity_id"
                    + " JOIN nodes r ON r.id = t.root_id WHERE e.display = 'Lisbon'")).isEqualTo(lisbonFacts); // back-filled
            assertThat(store.database().<List<String>>read("check", s -> TreeChecker.check(s, true))).isEmpty();
        }
    }

    /** Every node as (tree, level, items, summary), in a stable order: equal lists mean equal forests. */
    private static List<String> forest(MemoryStore store) {
        return store.database().read("forest", s -> s.list("""
                SELECT t.kind || '/' || t.key || ' L' || n.level || ' n' || n.item_count || ' ' || n.summary
                FROM nodes n JOIN trees t ON t.id = n.tree_id ORDER BY t.kind, t.key, n.level, n.k_ts, n.k_id""",
                rs -> rs.getString(1)));
    }

    private static long lisbonTrees(MemoryStore store) {
        return count(store, "SELECT count(*) FROM trees t JOIN entities e ON e.id = t.entity_id WHERE e.display = 'Lisbon'");
    }

    private static long count(MemoryStore store, String sql) {
        return store.database().<Long>read("count", s -> s.longValue(sql));
    }
}
