package dev.canopy.memory.ingest;

import dev.canopy.memory.fact.FactId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.memory.Chats;
import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.conversation.MessageWriter;
import dev.canopy.memory.conversation.NewMessage;
import dev.canopy.memory.extract.FakeGenerator;
import dev.canopy.memory.extract.LlmCellExtractor;
import dev.canopy.memory.fact.Fact;
import dev.canopy.memory.fact.FactOrigin;
import dev.canopy.memory.forest.TreeChecker;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestPipelineTest {

    @TempDir
    Path dir;

    private final Instant start = Instant.parse("2024-05-01T09:00:00Z");

    @Test
    void cellsOfTwoTurnsAreExtractedInBatchesAndRouted() {
        FakeGenerator gen = new FakeGenerator(FakeGenerator::extractionAnswer);
        MemoryConfig config = MemoryConfig.noModel().withExtractor(new LlmCellExtractor(gen, 4, 200));
        try (MemoryStore store = MemoryStore.open(dir.resolve("i.db"), config)) {
            var c = store.conversations().create("c", null, null).id();
            Instant t = start;
            for (int day = 0; day < 3; day++) {
                t = Chats.add(store, c, t.plusSeconds(86_400), "Ana", "Bo", "I play violin.", "Nice!",
                        "Bo, my sister Lea visits.", "Say hi to Lea.", "Bye.", "Bye Ana.");
            }

            IngestReport report = store.remember();

            assertThat(report.cells()).isEqualTo(9); // 18 turns, 3 sessions
            assertThat(gen.calls).hasSize(3); // 9 cells in batches of 4
            assertThat(gen.calls).extracting(call -> call.prompts().size()).containsExactly(4, 4, 1);
            assertThat(report.factsAdded() + report.factsMerged()).isEqualTo(18);
            assertThat(report.factsMerged()).isEqualTo(12); // the same sentences on days 2 and 3
            assertThat(store.facts().list(0, 100)).allSatisfy(f -> assertThat(f.origin()).isEqualTo(FactOrigin.EXTRACTED));
            Fact violin = store.facts().search("violin", 1).getFirst().fact();
            assertThat(store.facts().sources(new FactId(violin.id()))).hasSize(3);
            assertThat(count(store, "SELECT count(*) FROM trees WHERE kind = 'SESSION'")).isEqualTo(3);
            assertThat(count(store, "SELECT count(*) FROM trees t JOIN entities e ON e.id = t.entity_id "
                    + "WHERE e.display IN ('Ana', 'Bo')")).isEqualTo(2);
            assertThat(count(store, "SELECT count(*) FROM entities WHERE is_user = 1 AND display = 'Ana'")).isEqualTo(1);
            assertThat(store.database().<java.util.List<String>>read("c", s -> TreeChecker.check(s, true))).isEmpty();
            assertThat(store.remember().cells()).isZero(); // nothing new
        }
    }

    @Test
    void onlyFinishedTurnsOfMemoryEnabledConversationsAreCut() {
        try (MemoryStore store = MemoryStore.open(dir.resolve("f.db"), MemoryConfig.noModel())) {
            var on = store.conversations().create("on", null, null).id();
            var off = store.conversations().create("off", null, null).id();
            store.conversations().setMemoryEnabled(off, false);
            Chats.add(store, off, start, "Ana", "Bo", "secret plans", "ok");
            Chats.add(store, on, start, "Ana", "Bo", "first", "second", "third");
            MessageWriter w = store.conversations().startMessage(on, NewMessage.assistant(null, null).at(start.plusSeconds(300)));
            w.append("still typing");

            assertThat(store.remember().cells()).isEqualTo(1); // "third" waits for its partner
            assertThat(store.rememberAll().cells()).isEqualTo(1); // the lone turn, not the streaming one
            assertThat(store.facts().search("secret", 5)).isEmpty();
            w.complete(null);
            Chats.add(store, on, start.plusSeconds(400), "Ana", "Bo", "fourth");
            assertThat(store.remember().cells()).isEqualTo(1);
            assertThat(store.facts().search("typing", 5)).hasSize(1);
            assertThat(store.facts().search("fourth", 5)).hasSize(1);
        }
    }

    private static long count(MemoryStore store, String sql) {
        return store.database().<Long>read("count", s -> s.longValue(sql));
    }
}
