package dev.canopy.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.conversation.NewMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code canopy eval locomo} and {@code canopy memory ...} on real SQLite files. */
class MemoryCliTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = CanopyCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    static final String MINI = """
            {"sample_id": "mini", "conversation": {
              "speaker_a": "Caroline", "speaker_b": "Melanie",
              "session_1_date_time": "1:56 pm on 8 May, 2023",
              "session_1": [
                {"speaker": "Caroline", "dia_id": "D1:1", "text": "Hey Mel! How have you been?"},
                {"speaker": "Melanie", "dia_id": "D1:2", "text": "Swamped with the kids and work."},
                {"speaker": "Caroline", "dia_id": "D1:3", "text": "I went to a LGBTQ support group yesterday."},
                {"speaker": "Melanie", "dia_id": "D1:4", "text": "That sounds powerful!"}],
              "session_2_date_time": "1:14 pm on 25 May, 2023",
              "session_2": [
                {"speaker": "Melanie", "dia_id": "D2:1", "text": "I ran a charity race last Sunday."},
                {"speaker": "Caroline", "dia_id": "D2:2", "text": "Amazing, what was it for?"},
                {"speaker": "Melanie", "dia_id": "D2:3", "text": "Mental health awareness."}]},
             "qa": [
              {"question": "When did Caroline go to the LGBTQ support group?", "answer": "7 May 2023",
               "evidence": ["D1:3"], "category": 2},
              {"question": "What was Melanie's charity race for?", "answer": "mental health",
               "evidence": ["D2:1"], "category": 1}]}
            """;

    @Test
    void evalLocomoPrintsExactlyOneJsonObjectWithBothScores() throws Exception {
        Path file = Files.writeString(dir.resolve("mini.json"), MINI);
        Run r = cli("eval", "locomo", file.toString(), "--k", "3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip().lines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("questions").asInt()).isEqualTo(2);
        assertThat(json.path("ours").path("overall").asDouble()).isBetween(0.5, 1.0);
        assertThat(json.path("bm25").path("by_category").has("1")).isTrue();
        assertThat(json.path("construction_s").asDouble()).isPositive();
    }

    @Test
    void evalOfAFileThatIsNotLocomoIsOneClearLine() throws Exception {
        Path file = Files.writeString(dir.resolve("x.json"), "{\"hello\": 1}");
        Run r = cli("eval", "locomo", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).doesNotContain("\tat ");
        Run missing = cli("eval", "locomo", dir.resolve("none.json").toString());
        assertThat(missing.err()).contains("not found");
    }

    @Test
    void memoryListSearchAndForgetWorkOnTheDatabase() {
        Path db = dir.resolve("canopy.db");
        dev.canopy.memory.conversation.ConversationId id;
        try (MemoryStore store = MemoryStore.open(db, MemoryConfig.noModel())) {
            id = store.conversations().create("Pets", null, null).id();
            store.conversations().add(id, NewMessage.user("My cat Miso loves sardines."));
            store.conversations().add(id, new NewMessage(dev.canopy.memory.conversation.Role.ASSISTANT, null,
                    "Miso has taste.", null, null, null, null));
            store.rememberAll();
        }
        Run list = cli("memory", "list", "--db", db.toString());
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("sardines");
        Run search = cli("memory", "search", "sardines", "--db", db.toString());
        assertThat(search.out()).contains("Miso");
        Run forget = cli("memory", "forget", id.format(), "--db", db.toString());
        assertThat(forget.code()).as(forget.err()).isZero();
        assertThat(forget.out()).contains("Forgot conversation " + id);
        assertThat(cli("memory", "search", "sardines", "--db", db.toString()).out()).contains("No memory matches");
        Run again = cli("memory", "forget", id.format(), "--db", db.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("No conversation with id");
    }

    @Test
    void benchMemoryPrintsOneRowPerStoreSizeWithItsRatio() {
        Run r = cli("bench-memory", "--facts", "0,60", "--sample", "20");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("0 facts:").contains("60 facts:").contains("ms per insert").contains("x the first checkpoint")
                .startsWith("warming up on a scratch store (80 facts)")
                .containsPattern("(?m)^ +60 facts: [0-9.]+ ms per insert \\([0-9.]+x the first checkpoint\\), median [0-9.]+ ms"
                        + " \\([0-9.]+x\\), tallest tree [1-9] levels above its leaves$")
                .containsPattern("(?m)^ +duplicate lookup median [0-9.]+ ms \\([0-9.]+x the first checkpoint\\);"
                        + " any-word search it replaced [0-9.]+ ms \\([0-9.]+x slower\\)$")
                .containsPattern("filled 40 facts in batches of 1,000 in [0-9]+ s \\(and 40 timed single inserts\\)");
    }
}
