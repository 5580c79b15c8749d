package dev.canopy.app.memories;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.app.chat.AnswerDraft;
import dev.canopy.app.chat.ChatListener;
import dev.canopy.app.chat.ChatService;
import dev.canopy.app.chat.Conversation;
import dev.canopy.app.chat.ModelRuntime;
import dev.canopy.app.chat.ReplyStats;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.chat.SamplingPreset;
import dev.canopy.app.chat.StoredMessage;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.engine.CancellationToken;
import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Conversations and memory of the desktop in a real SQLite file, reopened as after a restart. */
class StoredMemoryTest {
    @TempDir Path dir;

    static final ReplyStats STATS = new ReplyStats(12, 3, 20.5, 80, 15, 4096, "END_OF_TEXT", List.of("likes tea"));

    MemoryStore open() {
        return MemoryStore.open(dir.resolve("canopy.db"), MemoryConfig.noModel());
    }

    @Test
    void conversationsSurviveReopeningWithTheirSettingsAndStatistics() {
        ConversationId id;
        try (MemoryStore store = open()) {
            var repo = new StoredConversations(store);
            Conversation c = repo.create("Trip");
            repo.save(c.withPinned(true).withSettings("Be brief.", SamplingPreset.PRECISE).withTitle("Trip to Lyon"));
            repo.append(c.id(), Role.USER, "When does the train leave?", Optional.empty());
            repo.append(c.id(), Role.ASSISTANT, "At 9:14.", Optional.of(STATS));
            repo.create("Other");
            id = c.id();
        }
        try (MemoryStore store = open()) {
            var repo = new StoredConversations(store);
            Conversation c = repo.find(id).orElseThrow();
            assertThat(c.title()).isEqualTo("Trip to Lyon");
            assertThat(c.pinned()).isTrue();
            assertThat(c.systemPrompt()).isEqualTo("Be brief.");
            assertThat(c.preset()).isEqualTo(SamplingPreset.PRECISE);
            assertThat(repo.list().getFirst().id()).isEqualTo(id); // pinned first
            List<StoredMessage> ms = repo.messages(id);
            assertThat(ms).extracting(StoredMessage::content).containsExactly("When does the train leave?", "At 9:14.");
            assertThat(ms.get(1).stats()).contains(STATS);
            assertThat(repo.search("train")).extracting(Conversation::id).containsExactly(id);
        }
    }

    @Test
    void anAnswerCutByACrashKeepsItsTextMarkedInterrupted() {
        ConversationId id;
        try (MemoryStore store = open()) {
            var repo = new StoredConversations(store);
            id = repo.create("t").id();
            repo.append(id, Role.USER, "Tell me a story", Optional.empty());
            AnswerDraft draft = repo.startAnswer(id);
            draft.append("Once upon");
            draft.append(" a time");
            // no complete(): the process "dies" here
        }
        try (MemoryStore store = open()) {
            List<StoredMessage> ms = new StoredConversations(store).messages(id);
            assertThat(ms).hasSize(2);
            assertThat(ms.get(1).content()).startsWith("Once upon a time");
            assertThat(ms.get(1).status()).isEqualTo(dev.canopy.memory.conversation.MessageStatus.INTERRUPTED); // the view says so
        }
    }

    @Test
    void anAnswerCancelledBeforeItsFirstTokenLeavesNoEmptyMessageAndRegenerateCutsTheTail() {
        try (MemoryStore store = open()) {
            var repo = new StoredConversations(store);
            var id = repo.create("t").id();
            StoredMessage q = repo.append(id, Role.USER, "First", Optional.empty());
            repo.startAnswer(id).abandon();
            assertThat(repo.messages(id)).hasSize(1);
            AnswerDraft blank = repo.startAnswer(id);
            blank.append("   ");
            blank.abandon();
            assertThat(repo.messages(id)).hasSize(1);
            AnswerDraft d = repo.startAnswer(id);
            d.append("Answer");
            StoredMessage a = d.complete("Answer", STATS);
            assertThat(a.stats()).contains(STATS);
            repo.append(id, Role.USER, "Second", Optional.empty());
            repo.deleteFrom(id, a.id());
            assertThat(repo.messages(id)).extracting(StoredMessage::id).containsExactly(q.id());
        }
    }

    @Test
    void factsAreLearnedRecalledEditedAndForgottenWithTheirConversation() {
        try (MemoryStore store = open()) {
            var repo = new StoredConversations(store);
            var memory = new ForestMemoryService(store);
            var keep = repo.create("Pets").id();
            repo.append(keep, Role.USER, "My cat Miso loves sardines.", Optional.empty());
            repo.append(keep, Role.ASSISTANT, "Miso has good taste.", Optional.empty());
            var gone = repo.create("Work").id();
            repo.append(gone, Role.USER, "I work at the harbour office in Brest.", Optional.empty());
            repo.append(gone, Role.ASSISTANT, "Brest is windy.", Optional.empty());
            memory.remember(gone, "Work", List.of());

            assertThat(memory.timeline()).isNotEmpty();
            assertThat(memory.forest()).isNotEmpty();
            List<MemoryFact> recalled = memory.recall("where is the harbour office", 5);
            assertThat(recalled).isNotEmpty();
            assertThat(recalled.getFirst().text()).contains("harbour");
            assertThat(memory.sources(recalled.getFirst().id())).extracting(SourceMessage::conversationId).contains(gone);

            MemoryFact cat = memory.recall("sardines", 5).getFirst();
            memory.editFact(cat.id(), "The user's cat Miso loves sardines and tuna.");
            assertThat(memory.recall("tuna", 5)).extracting(MemoryFact::id).contains(cat.id());

            int forgotten = memory.forgetConversation(gone);
            assertThat(forgotten).isPositive();
            assertThat(repo.find(gone)).isEmpty();
            assertThat(memory.recall("harbour office Brest", 5)).noneMatch(f -> f.text().contains("harbour"));
            assertThat(memory.timeline()).noneMatch(f -> f.conversationId().equals(Optional.of(gone)));
            assertThat(allFacts(memory.forest())).noneMatch(f -> f.text().contains("harbour"));

            memory.deleteFact(cat.id());
            assertThat(memory.timeline()).noneMatch(f -> f.id().equals(cat.id()));
        }
    }

    @Test
    void aChatAnsweredByARealModelIsThereAfterARestart() throws Exception {
        Path model = TinyModels.write(TinyModelSpec.tiny("qwen2"), dir.resolve("tiny.gguf"));
        Path home = dir.resolve("home");
        ConversationId id;
        try (DesktopServices app = DesktopServices.open(home)) {
            assertThat(app.storageProblem()).isEmpty();
            app.settings().save(app.settings().settings().withActiveModel(model.toString()));
            id = app.conversations().create(ChatService.NEW_CHAT_TITLE).id();
            app.chat().addUserMessage(id, "Hello, my name is Ana and I live in Porto.");
            StringBuilder streamed = new StringBuilder();
            CancellationToken stopAfterFewTokens = new CancellationToken();
            app.chat().reply(id, new ChatListener() {
                int tokens;
                @Override public void onText(String delta) {
                    streamed.append(delta);
                    if (++tokens == 6) stopAfterFewTokens.cancel(); // a random model rambles; Stop is what a user does
                }
            }, stopAfterFewTokens);
            assertThat(streamed.toString()).isNotBlank();
            app.memory().remember(id, "", List.of());
        }
        try (DesktopServices app = DesktopServices.open(home)) {
            List<StoredMessage> ms = app.conversations().messages(id);
            assertThat(ms).extracting(StoredMessage::role).containsExactly(Role.USER, Role.ASSISTANT);
            assertThat(ms.get(1).stats()).isPresent();
            assertThat(app.memory().recall("Porto", 5)).isNotEmpty();
        }
    }

    @Test
    void aDamagedDatabaseIsLeftUntouchedAndExplained() throws Exception {
        Path home = dir.resolve("home2");
        Files.createDirectories(home);
        byte[] junk = "SQLite format 3\0 but then garbage garbage garbage".repeat(200).getBytes();
        Files.write(home.resolve("canopy.db"), junk);
        try (DesktopServices app = DesktopServices.open(home)) {
            assertThat(app.storageProblem()).hasValueSatisfying(p -> assertThat(p).contains("canopy.db").contains("untouched"));
            assertThat(app.conversations().create("still usable").title()).isEqualTo("still usable");
        }
        assertThat(Files.readAllBytes(home.resolve("canopy.db"))).isEqualTo(junk);
    }

    private static List<MemoryFact> allFacts(List<MemoryTree> forest) {
        List<MemoryFact> out = new java.util.ArrayList<>();
        forest.forEach(t -> collect(t.root(), out));
        return out;
    }

    private static void collect(MemoryNode n, List<MemoryFact> out) {
        out.addAll(n.facts());
        n.children().forEach(c -> collect(c, out));
    }
}
