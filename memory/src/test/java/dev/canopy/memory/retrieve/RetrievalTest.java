package dev.canopy.memory.retrieve;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.fact.FactId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.memory.Chats;
import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.conversation.MessageWriter;
import dev.canopy.memory.conversation.NewMessage;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrievalTest {

    @TempDir
    Path dir;

    private MemoryStore store;
    private ConversationId conversation;

    @BeforeEach
    void fill() {
        store = MemoryStore.open(dir.resolve("r.db"), MemoryConfig.noModel());
        conversation = store.conversations().create("life", null, null).id();
        Instant t = Instant.parse("2023-05-08T13:56:00Z");
        t = Chats.add(store, conversation, t, "Caroline", "Melanie",
                "I went to a support group yesterday, it was powerful.", "That is great to hear, Caroline!",
                "I am also researching adoption agencies.", "What a wonderful plan.");
        t = Chats.add(store, conversation, t.plusSeconds(20 * 86_400), "Caroline", "Melanie",
                "How was your weekend?", "I ran a charity race for mental health on Sunday.",
                "Wow, how far did you run?", "Five kilometers, and I painted a sunrise afterwards.");
        Chats.add(store, conversation, t.plusSeconds(9 * 86_400), "Caroline", "Melanie",
                "My violin lessons start next week.", "You will love playing the violin.");
        store.rememberAll();
    }

    @Test
    void recallFindsTheRelevantTurnsWithTheirDates() {
        Recall r = store.recall(conversation, "When did Melanie run a charity race?");
        assertThat(r.facts()).isNotEmpty();
        assertThat(r.facts().getFirst().text()).contains("charity race");
        assertThat(r.prompt()).startsWith(PromptAssembler.HEADER).contains("[28 May 2023] Melanie: I ran a charity race");
        assertThat(r.facts()).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
        assertThat(r.facts().getFirst().via()).isNotEmpty(); // reached by tree descent, not only by text match
        Recall adoption = store.recall(conversation, "What did Caroline research?");
        assertThat(adoption.facts().getFirst().text()).contains("adoption agencies");
    }

    @Test
    void thePromptRespectsTheTokenBudget() {
        RecallOptions tiny = RecallOptions.defaults().withTokenBudget(40);
        Recall r = store.recall(conversation, "Caroline Melanie violin race adoption support", tiny);
        assertThat(r.facts().size()).isGreaterThan(r.promptFacts());
        assertThat(r.promptTokens()).isLessThanOrEqualTo(40);
        assertThat(TokenCounter.estimate().count(r.prompt())).isLessThanOrEqualTo(40);
        Recall none = store.recall(conversation, "Caroline", RecallOptions.defaults().withTokenBudget(5));
        assertThat(none.prompt()).isEmpty();
        assertThat(none.used()).isEmpty();
    }

    @Test
    void memoryOffMeansNoRecallAndUsedMemoriesAreRecorded() {
        Recall r = store.recall(conversation, "violin lessons");
        MessageWriter w = store.conversations().startMessage(conversation, NewMessage.assistant(null, null));
        w.complete(null);
        store.recordUsage(w.messageId(), r);
        assertThat(store.memoriesUsedBy(w.messageId())).extracting(RecalledFact::factId)
                .containsExactlyElementsOf(r.used().stream().map(RecalledFact::factId).toList());
        store.facts().delete(new FactId(r.used().getFirst().factId()));
        assertThat(store.memoriesUsedBy(w.messageId())).hasSize(r.used().size() - 1);

        store.conversations().setMemoryEnabled(conversation, false);
        assertThat(store.recall(conversation, "violin lessons")).isEqualTo(Recall.EMPTY);
        assertThat(store.recall(conversation, "the and of")).isEqualTo(Recall.EMPTY);
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
    }
}
