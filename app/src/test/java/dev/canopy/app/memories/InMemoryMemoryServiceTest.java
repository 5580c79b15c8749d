package dev.canopy.app.memories;

import dev.canopy.memory.forest.TreeKind;
import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.MessageId;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.chat.StoredMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryMemoryServiceTest {
    final InMemoryMemoryService memory = new InMemoryMemoryService();

    static final ConversationId C1 = new ConversationId(1), C2 = new ConversationId(2);

    static StoredMessage msg(ConversationId conv, Role role, String text) {
        return new StoredMessage(new MessageId(text.hashCode()), conv, role, text, Instant.parse("2026-03-01T10:00:00Z"), Optional.empty());
    }

    @Test
    void learnsFirstPersonStatementsAndRecallsThemByTheirWords() {
        memory.remember(C1, "Moving", List.of(msg(C1, Role.USER, "I live in Lyon. My sister is called Ana. What is the weather?"),
                msg(C1, Role.ASSISTANT, "I cannot see the weather.")));
        assertThat(memory.timeline()).extracting(MemoryFact::text)
                .containsExactlyInAnyOrder("The user lives in Lyon.", "The user's sister is called Ana.");
        assertThat(memory.recall("Where does my sister Ana live?", 5)).extracting(MemoryFact::text)
                .first().isEqualTo("The user's sister is called Ana.");
        var id = memory.timeline().getFirst().id();
        assertThat(memory.sources(id)).hasSize(2).first().extracting(SourceMessage::conversationTitle).isEqualTo("Moving");
    }

    @Test
    void theForestHasAUserTreeAndOneTreePerConversation() {
        memory.remember(C1, "One", List.of(msg(C1, Role.USER, "I like tea.")));
        memory.remember(C2, "Two", List.of(msg(C2, Role.USER, "I play chess.")));
        assertThat(memory.forest()).extracting(MemoryTree::kind).contains(TreeKind.ENTITY, TreeKind.SESSION, TreeKind.SESSION);
        assertThat(memory.forest()).extracting(MemoryTree::title).contains("The user", "One", "Two");
    }

    @Test
    void editDeleteAndForgetAConversation() {
        memory.remember(C1, "One", List.of(msg(C1, Role.USER, "I like tea. I have a cat.")));
        memory.remember(C2, "Two", List.of(msg(C2, Role.USER, "I play chess.")));
        MemoryFact tea = memory.timeline().stream().filter(f -> f.text().contains("tea")).findFirst().orElseThrow();
        memory.editFact(tea.id(), "The user prefers green tea.");
        assertThat(memory.timeline()).extracting(MemoryFact::text).contains("The user prefers green tea.");
        memory.deleteFact(tea.id());
        assertThat(memory.timeline()).hasSize(2);
        assertThat(memory.forgetConversation(C1)).isEqualTo(1);
        assertThat(memory.timeline()).extracting(MemoryFact::text).containsExactly("The user plays chess.");
    }
}
