package dev.canopy.app.cli;

import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.conversation.NewMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code canopy memory ...} on real SQLite files. */
class MemoryCliTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = CanopyCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
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
}
