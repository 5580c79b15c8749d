package dev.canopy.app.chat;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.memories.InMemoryMemoryService;
import dev.canopy.app.memories.MemoryFact;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.engine.CancellationToken;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Chats with a tiny random-weight model: its words are gibberish, but real tokens stream. */
class ChatServiceTest {
    @TempDir static Path models;
    static Path model;
    @TempDir Path home;

    SettingsStore settings;
    InMemoryConversationRepository repo;
    InMemoryMemoryService memory;
    ModelRuntime runtime;
    ChatService chat;

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("qwen2"), models.resolve("tiny.gguf"));
    }

    @BeforeEach
    void setUp() {
        settings = new SettingsStore(home);
        settings.save(settings.settings().withActiveModel(model.toString()));
        repo = new InMemoryConversationRepository();
        memory = new InMemoryMemoryService();
        runtime = new ModelRuntime();
        chat = new ChatService(repo, memory, settings, runtime);
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    @Test
    void streamsAnAnswerAndStoresItWithItsStatistics() {
        Conversation c = repo.create(ChatService.NEW_CHAT_TITLE);
        chat.addUserMessage(c.id(), "Hello there, how are you today?");
        List<ChatPhase> phases = new ArrayList<>();
        StringBuilder streamed = new StringBuilder();
        int[] prefill = new int[2];
        ChatReply r = chat.reply(c.id(), new ChatListener() {
            @Override public void onPhase(ChatPhase p) { phases.add(p); }
            @Override public void onPrefill(int done, int total) { prefill[0] = done; prefill[1] = total; }
            @Override public void onText(String delta) { streamed.append(delta); }
        }, new CancellationToken());

        assertThat(phases).startsWith(ChatPhase.LOADING_MODEL).contains(ChatPhase.READING_PROMPT);
        assertThat(prefill[0]).isEqualTo(prefill[1]).isPositive();
        StoredMessage answer = r.message().orElseThrow();
        assertThat(answer.role()).isEqualTo(Role.ASSISTANT);
        assertThat(streamed.toString().strip()).isEqualTo(answer.content());
        assertThat(r.stats().generatedTokens()).isPositive();
        assertThat(r.stats().contextSize()).isEqualTo(4096);
        assertThat(r.stats().contextUsed()).isGreaterThan(r.stats().promptTokens() - 1);
        assertThat(repo.find(c.id()).orElseThrow().title()).isEqualTo("Hello there, how are you today?");
        assertThat(repo.messages(c.id())).extracting(StoredMessage::role).containsExactly(Role.USER, Role.ASSISTANT);
        assertThat(chat.contextUsage(c.id()).estimated()).isFalse();
    }

    @Test
    void stopKeepsTheTextSoFarAndRegenerateReplacesTheAnswer() {
        Conversation c = repo.create("t");
        chat.addUserMessage(c.id(), "Tell me a long story");
        CancellationToken cancel = new CancellationToken();
        StringBuilder got = new StringBuilder();
        ChatReply r = chat.reply(c.id(), new ChatListener() {
            @Override public void onText(String delta) {
                got.append(delta);
                if (got.length() > 10) cancel.cancel();
            }
        }, cancel);
        assertThat(r.cancelled()).isTrue();
        assertThat(r.message()).isPresent();
        assertThat(repo.messages(c.id())).hasSize(2);

        chat.dropLastAnswer(c.id());
        assertThat(repo.messages(c.id())).hasSize(1);
        ChatReply again = chat.reply(c.id(), ChatListener.NONE, new CancellationToken());
        assertThat(again.cancelled()).isFalse();
        assertThat(repo.messages(c.id())).hasSize(2);
    }

    @Test
    void editingAMessageDropsEverythingAfterIt() {
        Conversation c = repo.create("t");
        StoredMessage first = chat.addUserMessage(c.id(), "first question");
        chat.reply(c.id(), ChatListener.NONE, new CancellationToken());
        chat.addUserMessage(c.id(), "second question");
        chat.reply(c.id(), ChatListener.NONE, new CancellationToken());
        assertThat(repo.messages(c.id())).hasSize(4);

        chat.editMessage(c.id(), first.id(), "first question, edited");
        assertThat(repo.messages(c.id())).extracting(StoredMessage::content).containsExactly("first question, edited");
        chat.reply(c.id(), ChatListener.NONE, new CancellationToken());
        assertThat(repo.messages(c.id())).hasSize(2);
    }

    @Test
    void recalledMemoriesGoIntoThePromptAndAreReported() {
        memory.add(new ConversationId(99), "Old chat", "The user's cat is called Miso.", Instant.parse("2026-01-02T00:00:00Z"));
        Conversation c = repo.create("t");
        chat.addUserMessage(c.id(), "What is my cat called?");
        List<MemoryFact> seen = new ArrayList<>();
        ChatReply r = chat.reply(c.id(), new ChatListener() {
            @Override public void onMemories(List<MemoryFact> facts) { seen.addAll(facts); }
        }, new CancellationToken());
        assertThat(seen).extracting(MemoryFact::text).containsExactly("The user's cat is called Miso.");
        assertThat(r.stats().memoriesUsed()).containsExactly("The user's cat is called Miso.");
        assertThat(PromptBuilder.system("Be brief.", seen)).startsWith("Be brief.").contains("Miso").contains("2026-01-0");

        settings.save(settings.settings().withMemoryEnabled(false));
        chat.addUserMessage(c.id(), "And my cat?");
        assertThat(chat.reply(c.id(), ChatListener.NONE, new CancellationToken()).memories()).isEmpty();
    }

    @Test
    void olderTurnsAreLeftOutWhenTheConversationOutgrowsTheContext() {
        settings.save(settings.settings().withActiveModel(model.toString()));
        var d = settings.settings();
        settings.save(new dev.canopy.app.settings.AppSettings(d.theme(), d.device(), d.gpuLayers(), d.threads(), 64, 512,
                d.attention(), d.attentionBudgetTokens(), d.kvGpuMb(), d.kvCpuMb(), d.kvDiskMb(), "", false, "", "", false, d.activeModel()));
        Conversation c = repo.create("t");
        String longText = "word ".repeat(150);
        for (int i = 0; i < 3; i++) {
            repo.append(c.id(), Role.USER, longText, java.util.Optional.empty());
            repo.append(c.id(), Role.ASSISTANT, longText, java.util.Optional.empty());
        }
        chat.addUserMessage(c.id(), "short question");
        ChatReply r = chat.reply(c.id(), ChatListener.NONE, new CancellationToken());
        assertThat(r.droppedTurns()).isPositive();

        Conversation huge = repo.create("t2");
        chat.addUserMessage(huge.id(), "word ".repeat(2000));
        assertThatThrownBy(() -> chat.reply(huge.id(), ChatListener.NONE, new CancellationToken()))
                .isInstanceOf(dev.canopy.engine.ContextFullException.class);
    }

    @Test
    void withoutAModelTheMessageSaysWhereToGetOne() {
        settings.save(settings.settings().withActiveModel(""));
        Conversation c = repo.create("t");
        chat.addUserMessage(c.id(), "hi");
        assertThat(chat.hasActiveModel()).isFalse();
        assertThatThrownBy(() -> chat.reply(c.id(), ChatListener.NONE, new CancellationToken()))
                .hasMessageContaining("Models view");
        assertThat(chat.contextUsage(c.id()).estimated()).isTrue();
    }

    @Test
    void aDroppedDocumentTravelsInsideTheMessage() throws Exception {
        Path doc = Files.writeString(home.resolve("notes.md"), "# Plan\n\nBuy apples. Call Ana on Monday.\n");
        AttachedDocument d = DocumentReader.read(doc, 10_000);
        assertThat(d.text()).contains("Buy apples").contains("Plan");
        String content = Attachments.compose("Summarize this document.", d.name(), d.text());
        assertThat(Attachments.question(content)).isEqualTo("Summarize this document.");
        assertThat(Attachments.documentName(content)).contains("notes.md");
        assertThat(ChatService.titleFrom(content)).isEqualTo("Summarize this document.");
        AttachedDocument cut = DocumentReader.read(doc, 5);
        assertThat(cut.truncated()).isTrue();
        Path exe = Files.write(home.resolve("x.exe"), new byte[] {0x4d, 0x5a, 0, 1});
        assertThatThrownBy(() -> DocumentReader.read(exe, 100)).hasMessageContaining("can't read");
        assertThatThrownBy(() -> DocumentReader.read(home.resolve("missing.md"), 100)).hasMessageContaining("not found");
    }
}
