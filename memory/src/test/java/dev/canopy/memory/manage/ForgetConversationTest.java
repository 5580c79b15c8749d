package dev.canopy.memory.manage;

import dev.canopy.memory.fact.FactId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.memory.Chats;
import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.db.MemoryStoreException;
import dev.canopy.memory.forest.TreeChecker;
import dev.canopy.memory.retrieve.RecallOptions;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forgetting a conversation removes its facts from every tree and index, and nothing else. */
class ForgetConversationTest {

    @TempDir
    Path dir;

    @Test
    void forgettingRemovesEverythingDerivedAndKeepsTheRest() {
        try (MemoryStore store = MemoryStore.open(dir.resolve("forget.db"), MemoryConfig.noModel())) {
            var keep = store.conversations().create("keep", null, null).id();
            var gone = store.conversations().create("gone", null, null).id();
            Instant t = Instant.parse("2024-03-01T09:00:00Z");
            for (int day = 0; day < 4; day++) { // four sessions each, so Ana and Bo get entity trees
                t = Chats.add(store, keep, t.plusSeconds(86_400), "Ana", "Bo",
                        "I planted tomatoes in the garden with Bo.", "Your tomatoes will love the sun, Ana.",
                        "See you tomorrow.", "Good night.");
                t = Chats.add(store, gone, t.plusSeconds(3_600), "Ana", "Bo",
                        "My zyxquartz collection grew with Bo today.", "The zyxquartz stones look great, Ana.",
                        "See you tomorrow.", "Bye, the flamingoplex is closing.");
            }
            store.rememberAll();
            assertThat(store.facts().search("zyxquartz", 50)).isNotEmpty();
            assertThat(store.conversations().search("zyxquartz", 10)).isNotEmpty();
            assertThat(nodesMatching(store, "zyxquartz")).isPositive();
            long sharedBefore = store.facts().search("tomorrow", 10).size();
            assertThat(sharedBefore).isEqualTo(1); // both conversations say it: one fact, two sources

            ForgetReport report = store.forgetConversation(gone);

            assertThat(report.factsDeleted()).isPositive();
            assertThat(report.factsKept()).isEqualTo(1);
            assertThat(report.treesDropped()).isPositive();
            assertThat(store.facts().search("zyxquartz", 50)).isEmpty();
            assertThat(store.facts().search("flamingoplex", 50)).isEmpty();
            assertThat(store.conversations().search("zyxquartz", 10)).isEmpty();
            assertThat(store.recall("zyxquartz stones", RecallOptions.defaults()).facts()).isEmpty();
            assertThat(nodesMatching(store, "zyxquartz")).isZero();
            assertThat(count(store, "SELECT count(*) FROM nodes WHERE summary LIKE '%zyxquartz%' OR keywords LIKE '%zyxquartz%'"))
                    .isZero();
            assertThat(count(store, "SELECT count(*) FROM fact_sources WHERE conversation_id = " + gone)).isZero();
            assertThat(count(store, "SELECT count(*) FROM trees WHERE conversation_id = " + gone)).isZero();
            assertThat(count(store, "SELECT count(*) FROM cells WHERE conversation_id = " + gone)).isZero();
            assertThat(count(store, "SELECT count(*) FROM messages WHERE conversation_id = " + gone)).isZero();
            assertThat(count(store, """
                    SELECT count(*) FROM nodes n JOIN facts f ON f.id = n.fact_id WHERE f.text LIKE '%zyxquartz%'""")).isZero();

            // the other conversation is untouched, the shared fact keeps its other source
            assertThat(store.facts().search("tomatoes", 10)).isNotEmpty();
            assertThat(store.facts().search("tomorrow", 10)).hasSize(1);
            assertThat(store.facts().sources(new FactId(store.facts().search("tomorrow", 1).getFirst().fact().id())))
                    .allMatch(src -> src.conversationId().equals(keep));
            assertThat(store.recall("tomatoes garden", RecallOptions.defaults()).facts()).isNotEmpty();
            assertThat(store.database().<java.util.List<String>>read("check", s -> TreeChecker.check(s, true))).isEmpty();
            assertThat(store.integrityProblems()).isEmpty();
            assertThatThrownBy(() -> store.forgetConversation(gone))
                    .isInstanceOfSatisfying(MemoryStoreException.class,
                            e -> assertThat(e.kind()).isEqualTo(MemoryStoreException.Kind.NOT_FOUND));
        }
    }

    private static long nodesMatching(MemoryStore store, String word) {
        return count(store, "SELECT count(*) FROM node_fts WHERE node_fts MATCH '" + word + "'");
    }

    private static long count(MemoryStore store, String sql) {
        return store.database().read("count", s -> s.longValue(sql));
    }
}
