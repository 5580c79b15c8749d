package dev.canopy.app.chat;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.app.errors.UserFacingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Branch, export and import over the real SQLite conversation store. */
class ConversationTransferTest {
    static final ReplyStats STATS = new ReplyStats(120, 30, 22.5, 85, 150, 4096, "END_OF_TEXT", List.of("Miso loves sardines."),
            20, 900.0, List.of("42"));
    @TempDir Path home;
    DesktopServices app;
    ConversationRepository repo;
    ConversationTransfer transfer;
    ConversationId id;

    @BeforeEach
    void setUp() {
        app = DesktopServices.open(home);
        repo = app.conversations();
        transfer = new ConversationTransfer(repo);
        Conversation c = repo.create("Cats and tables");
        repo.save(c.withSettings("Answer briefly.", SamplingPreset.PRECISE));
        id = c.id();
        repo.append(id, Role.USER, "What does Miso eat?", Optional.empty());
        repo.append(id, Role.ASSISTANT, "| food | how often |\n|---|---|\n| sardines | daily |\n\n```python\nprint('meow')\n```",
                Optional.of(STATS));
        repo.append(id, Role.USER, "And on Sundays?", Optional.empty());
        repo.append(id, Role.ASSISTANT, "Tuna.", Optional.empty());
    }

    @AfterEach
    void tearDown() {
        app.close();
    }

    @Test
    void exportedJsonImportsAsTheSameConversation() throws Exception {
        Path file = home.resolve("out.json");
        transfer.export(id, file, ConversationFormat.JSON);
        Conversation copy = transfer.importFile(file);

        assertThat(copy.id()).isNotEqualTo(id);
        assertThat(copy.title()).isEqualTo("Cats and tables");
        assertThat(copy.systemPrompt()).isEqualTo("Answer briefly.");
        assertThat(copy.preset()).isEqualTo(SamplingPreset.PRECISE);
        assertThat(repo.messages(copy.id())).extracting(StoredMessage::role, StoredMessage::content, StoredMessage::stats)
                .isEqualTo(repo.messages(id).stream().map(m -> org.assertj.core.groups.Tuple.tuple(m.role(), m.content(), m.stats())).toList());
        assertThat(repo.messages(copy.id()).get(1).stats()).contains(STATS);
        // and exporting the copy gives the same file
        assertThat(transfer.json(copy.id())).isEqualTo(Files.readString(file));
    }

    @Test
    void markdownHasEachMessageUnderWhoWroteIt() {
        String md = transfer.markdown(id);
        assertThat(md).startsWith("# Cats and tables\n\n> Instructions: Answer briefly.\n\n## You\n\nWhat does Miso eat?\n\n## Canopy\n\n| food |")
                .contains("*30 tokens · 22.5 tok/s · first token 85 ms*").endsWith("## Canopy\n\nTuna.\n\n");
    }

    @Test
    void aBranchHasTheMessagesUpToTheChosenOneAndTheOriginalStays() {
        List<StoredMessage> before = repo.messages(id);
        Conversation b = transfer.branch(id, before.get(1).id());
        assertThat(b.title()).isEqualTo("Cats and tables (branch)");
        assertThat(b.systemPrompt()).isEqualTo("Answer briefly.");
        assertThat(repo.messages(b.id())).extracting(StoredMessage::content)
                .containsExactly(before.get(0).content(), before.get(1).content());
        assertThat(repo.messages(id)).isEqualTo(before);
    }

    @Test
    void aFileThatIsNotAnExportedConversationIsRefusedAndNothingIsStored() {
        int n = repo.list().size();
        assertThatThrownBy(() -> transfer.importJson("{\"title\": \"x\"}")).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("not a conversation Canopy exported");
        assertThatThrownBy(() -> transfer.importJson("not json")).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> transfer.importJson("{\"format\":\"canopy-conversation\",\"messages\":[{\"content\":\"hi\"}]}"))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("without a role");
        assertThat(repo.list()).hasSize(n);
    }
}
