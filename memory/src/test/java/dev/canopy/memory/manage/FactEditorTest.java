package dev.canopy.memory.manage;

import dev.canopy.memory.fact.FactId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.memory.Chats;
import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.db.MemoryStoreException;
import dev.canopy.memory.fact.Fact;
import dev.canopy.memory.fact.FactOrigin;
import dev.canopy.memory.forest.TreeChecker;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactEditorTest {

    @TempDir
    Path dir;

    @Test
    void listEditDeleteAndAddKeepIndexesAndTreesInStep() {
        try (MemoryStore store = MemoryStore.open(dir.resolve("e.db"), MemoryConfig.noModel())) {
            var c = store.conversations().create("c", null, null).id();
            Instant t = Instant.parse("2024-01-10T10:00:00Z");
            for (int day = 0; day < 3; day++) {
                t = Chats.add(store, c, t.plusSeconds(86_400), "Ana", "Bo", "My dog Rex chewed a shoe on day " + day,
                        "Rex is a rascal.");
            }
            store.rememberAll();
            FactEditor facts = store.facts();
            assertThat(facts.count()).isEqualTo(4); // "Rex is a rascal." three times is one fact
            assertThat(facts.list(0, 2)).hasSize(2).first().satisfies(f -> assertThat(f.text()).contains("day 2")); // newest first

            Fact shoe = facts.search("shoe day 1", 1).getFirst().fact();
            Fact edited = facts.edit(new FactId(shoe.id()), "Ana: My dog Rex chewed a slipper on day 1");
            assertThat(edited.origin()).isEqualTo(FactOrigin.USER);
            assertThat(facts.search("slipper", 5)).extracting(h -> h.fact().id()).containsExactly(shoe.id());
            assertThat(facts.search("shoe", 5)).extracting(h -> h.fact().id()).doesNotContain(shoe.id());

            Fact rascal = facts.search("rascal", 1).getFirst().fact();
            long leavesBefore = count(store, "SELECT count(*) FROM nodes WHERE fact_id = " + rascal.id());
            assertThat(leavesBefore).isPositive(); // Bo's entity tree, a scene tree
            facts.delete(new FactId(rascal.id()));
            assertThat(facts.get(new FactId(rascal.id()))).isEmpty();
            assertThat(facts.search("rascal", 5)).isEmpty();
            assertThat(count(store, "SELECT count(*) FROM nodes WHERE fact_id = " + rascal.id())).isZero();

            Fact added = facts.add("I am allergic to peanuts.", "Ana");
            assertThat(added.origin()).isEqualTo(FactOrigin.USER);
            assertThat(store.recall(c, "Am I allergic to anything? peanuts").facts())
                    .extracting(f -> f.factId()).contains(added.id());

            assertThat(store.database().<List<String>>read("check", s -> TreeChecker.check(s, true))).isEmpty();
            assertThat(store.integrityProblems()).isEmpty();
            assertThatThrownBy(() -> facts.edit(new FactId(added.id()), "  ")).isInstanceOf(MemoryStoreException.class);
            assertThatThrownBy(() -> facts.delete(new FactId(999_999))).isInstanceOfSatisfying(MemoryStoreException.class,
                    e -> assertThat(e.kind()).isEqualTo(MemoryStoreException.Kind.NOT_FOUND));
        }
    }

    private static long count(MemoryStore store, String sql) {
        return store.database().<Long>read("count", s -> s.longValue(sql));
    }
}
