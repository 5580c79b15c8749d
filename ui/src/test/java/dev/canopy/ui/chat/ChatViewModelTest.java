package dev.canopy.ui.chat;

import dev.canopy.memory.conversation.Role;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.ui.common.UiThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat view-model over the real app services, a real SQLite file and a tiny random model; no FX thread. */
class ChatViewModelTest {
    @TempDir static Path models;
    static Path model;
    @TempDir Path home;
    DesktopServices services;
    ChatViewModel vm;
    final AtomicReference<dev.canopy.memory.conversation.ConversationId> lastConversation = new AtomicReference<>();

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("qwen2"), models.resolve("tiny.gguf"));
    }

    @BeforeEach
    void setUp() {
        services = DesktopServices.open(home);
        services.settings().save(services.settings().settings().withActiveModel(model.toString()));
        vm = new ChatViewModel(services.chat(), UiThreads.of(Runnable::run), lastConversation::set);
    }

    @AfterEach
    void tearDown() {
        services.close();
    }

    /** Stops the answer once it has streamed {@code tokens} pieces; returns how many text updates were seen. */
    AtomicInteger stopAfter(int tokens) {
        AtomicInteger updates = new AtomicInteger();
        vm.messages().addListener((javafx.collections.ListChangeListener<MessageItem>) c -> {
            while (c.next()) {
                for (MessageItem m : c.getAddedSubList()) {
                    if (m.role() == Role.ASSISTANT && m.id().isEmpty()) {
                        AtomicInteger mine = new AtomicInteger();
                        m.textProperty().addListener((o, a, b) -> {
                            updates.incrementAndGet();
                            if (mine.incrementAndGet() == tokens) vm.stop();
                        });
                    }
                }
            }
        });
        return updates;
    }

    static void await(BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out");
            Thread.sleep(20);
        }
    }

    @Test
    void sendingStreamsTheAnswerAndStopKeepsWhatWasWritten() throws Exception {
        vm.start(java.util.Optional.empty());
        AtomicInteger updates = stopAfter(5);
        vm.draftProperty().set("Hello, who are you?");
        vm.send();
        assertThat(vm.draftProperty().get()).isEmpty();
        await(() -> !vm.busyProperty().get());

        assertThat(updates.get()).isGreaterThanOrEqualTo(5);
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.messages()).extracting(MessageItem::role).containsExactly(Role.USER, Role.ASSISTANT);
        MessageItem answer = vm.messages().get(1);
        assertThat(answer.text()).isNotBlank();
        assertThat(answer.footer()).contains("tok/s").contains("stopped");
        assertThat(vm.statusProperty().get()).isEqualTo("Stopped.");
        assertThat(vm.conversations()).hasSize(1);
        assertThat(vm.conversations().getFirst().title()).isEqualTo("Hello, who are you?");
        assertThat(lastConversation.get()).isEqualTo(vm.currentProperty().get().id());
        assertThat(vm.contextGauge().textProperty().get()).contains("tokens");
    }

    @Test
    void exportThenImportRoundTripsAConversationAndABadFileIsOneSentence() throws Exception {
        var repo = services.conversations();
        var id = repo.create("Miso's plan").id();
        repo.append(id, Role.USER, "A table please", java.util.Optional.empty());
        repo.append(id, Role.ASSISTANT, "| day | food |\n|---|---|\n| Mon | wet |", java.util.Optional.empty());
        vm.start(java.util.Optional.of(id));
        java.util.List<String> before = vm.messages().stream().map(m -> m.role() + ":" + m.text()).toList();
        var notices = new dev.canopy.ui.common.Notices();
        vm.setNotices(notices);

        Path json = home.resolve("miso.json");
        vm.export(json, dev.canopy.app.chat.ConversationFormat.JSON);
        assertThat(json).isNotEmptyFile();
        assertThat(notices.posted()).singleElement().satisfies(n -> assertThat(n.title()).isEqualTo("Conversation exported"));
        vm.importJson(json);

        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.conversations()).hasSize(2);
        assertThat(vm.currentProperty().get().id()).isNotEqualTo(id);
        assertThat(vm.currentProperty().get().title()).isEqualTo("Miso's plan");
        assertThat(vm.messages().stream().map(m -> m.role() + ":" + m.text()).toList()).isEqualTo(before);

        vm.importJson(java.nio.file.Files.writeString(home.resolve("bad.json"), "{\"not\": \"a conversation\"}"));
        assertThat(vm.errorProperty().get()).isNotBlank().doesNotContain("Exception");
        assertThat(vm.conversations()).hasSize(2);
    }

    @Test
    void theMemoriesShownUnderAnAnswerAreTheFactsItsPromptHeld() throws Exception {
        var repo = services.conversations();
        var pets = repo.create("Pets").id();
        repo.append(pets, Role.USER, "My cat Miso loves sardines.", java.util.Optional.empty());
        repo.append(pets, Role.ASSISTANT, "Noted: Miso loves sardines.", java.util.Optional.empty());
        services.memory().remember(pets, "Pets", java.util.List.of());
        String question = "What does Miso love to eat, sardines?";
        java.util.List<java.util.Optional<dev.canopy.memory.fact.FactId>> held = services.memory().recall(question, 6).stream()
                .map(f -> java.util.Optional.of(f.id())).toList();
        assertThat(held).as("the memory has facts for this question").isNotEmpty();

        vm.start(java.util.Optional.empty());
        vm.newConversation();
        java.util.List<java.util.List<MemoryRef>> whileWriting = new java.util.ArrayList<>();
        vm.messages().addListener((javafx.collections.ListChangeListener<MessageItem>) c -> {
            while (c.next()) {
                c.getAddedSubList().stream().filter(m -> m.role() == Role.ASSISTANT && m.id().isEmpty()).forEach(m ->
                        m.textProperty().addListener((o, a, b) -> { if (whileWriting.isEmpty()) whileWriting.add(java.util.List.copyOf(m.memories())); }));
            }
        });
        stopAfter(3);
        vm.draftProperty().set(question);
        vm.send();
        await(() -> !vm.busyProperty().get());

        assertThat(vm.errorProperty().get()).isEmpty();
        MessageItem answer = vm.messages().getLast();
        assertThat(answer.role()).isEqualTo(Role.ASSISTANT);
        assertThat(whileWriting).singleElement().satisfies(shown -> assertThat(shown).extracting(MemoryRef::id).isEqualTo(held));
        assertThat(answer.memories()).extracting(MemoryRef::id).isEqualTo(held);
        var stats = repo.messages(vm.currentProperty().get().id()).getLast().stats().orElseThrow();
        assertThat(answer.memories()).extracting(MemoryRef::text).isEqualTo(stats.memoriesUsed());
        assertThat(answer.memories()).extracting(r -> r.id().orElseThrow().format()).isEqualTo(stats.memoryIds());
    }

    @Test
    void aDroppedDocumentTravelsWithTheNextMessageAndEditingKeepsIt() throws Exception {
        vm.start(java.util.Optional.empty());
        Path notes = home.resolve("notes.md");
        java.nio.file.Files.writeString(notes, "# Trip\n\nThe ferry to the island leaves at 7:40 from pier 3.\n");
        vm.attach(home.resolve("picture.png"));
        assertThat(vm.errorProperty().get()).contains("cannot read picture.png");
        assertThat(vm.attachmentProperty().get()).isNull();

        vm.attach(notes);   // read in the background
        await(() -> vm.attachmentProperty().get() != null || !vm.errorProperty().get().isEmpty());
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.attachmentProperty().get().name()).isEqualTo("notes.md");
        stopAfter(2);
        vm.draftProperty().set("When does the ferry leave?");
        vm.send();
        await(() -> !vm.busyProperty().get());
        assertThat(vm.attachmentProperty().get()).as("used once").isNull();

        MessageItem question = vm.messages().getFirst();
        assertThat(question.text()).startsWith("When does the ferry leave?").contains("notes.md").doesNotContain("pier 3");
        String stored = services.chat().conversations().messages(vm.currentProperty().get().id()).getFirst().content();
        assertThat(stored).contains("pier 3");

        stopAfter(2);
        vm.editAndResend(question, "Which pier?");
        await(() -> !vm.busyProperty().get());
        String edited = services.chat().conversations().messages(vm.currentProperty().get().id()).getFirst().content();
        assertThat(edited).startsWith("Which pier?").contains("pier 3");
    }

    @Test
    void switchingConversationsShowsEachOnesMessagesAndTheyPersist() throws Exception {
        vm.start(java.util.Optional.empty());
        stopAfter(2);
        vm.draftProperty().set("First topic");
        vm.send();
        await(() -> !vm.busyProperty().get());
        var first = vm.currentProperty().get();

        vm.newConversation();
        assertThat(vm.messages()).isEmpty();
        vm.draftProperty().set("Second topic");
        vm.send();
        await(() -> !vm.busyProperty().get());
        var second = vm.currentProperty().get();
        assertThat(vm.conversations()).extracting(c -> c.id()).containsExactlyInAnyOrder(first.id(), second.id());

        vm.open(vm.conversations().stream().filter(c -> c.id().equals(first.id())).findFirst().orElseThrow());
        assertThat(vm.messages().getFirst().text()).isEqualTo("First topic");

        vm.searchProperty().set("Second");
        assertThat(vm.conversations()).extracting(c -> c.id()).containsExactly(second.id());
        vm.searchProperty().set("");

        services.close();
        services = DesktopServices.open(home);
        ChatViewModel reopened = new ChatViewModel(services.chat(), UiThreads.of(Runnable::run), id -> {});
        reopened.start(java.util.Optional.of(second.id()));
        assertThat(reopened.currentProperty().get().id()).isEqualTo(second.id());
        assertThat(reopened.messages()).extracting(MessageItem::text).first().isEqualTo("Second topic");

        reopened.delete(reopened.currentProperty().get());
        assertThat(reopened.conversations()).extracting(c -> c.id()).containsExactly(first.id());
        assertThat(reopened.messages()).isEmpty();
    }

    @Test
    void withoutAModelTheAnswerIsAReadableErrorAndTheQuestionIsKept() throws Exception {
        services.settings().save(services.settings().settings().withActiveModel(""));
        vm.start(java.util.Optional.empty());
        vm.draftProperty().set("Anyone there?");
        vm.send();
        await(() -> !vm.busyProperty().get());
        assertThat(vm.errorProperty().get()).contains("Models").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(vm.messages()).extracting(MessageItem::text).containsExactly("Anyone there?");
        assertThat(vm.hasModel()).isFalse();
    }

    @Test
    void whenTheKvCannotBeKeptOnDiskTheStatusSaysSoAndTheAnswerIsWritten() throws Exception {
        var d = services.settings().settings();   // the KV folder is a file (Settings checks it, a moved folder escapes that)
        java.nio.file.Path notAFolder = java.nio.file.Files.writeString(java.nio.file.Files.createTempFile("canopy-kv", ".txt"), "x");
        notAFolder.toFile().deleteOnExit();
        services.settings().save(new dev.canopy.app.settings.AppSettings(d.theme(), d.device(), d.gpuLayers(), d.threads(),
                d.chunkTokens(), d.contextTokens(), d.attention(), d.attentionBudgetTokens(),
                d.kvGpuMb(), d.kvCpuMb(), d.kvDiskMb(), notAFolder.toString(), true, "", "", false, d.activeModel()));
        vm.start(java.util.Optional.empty());
        stopAfter(3);
        vm.draftProperty().set("Hello?");
        vm.send();
        await(() -> !vm.busyProperty().get());
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.messages()).extracting(MessageItem::role).containsExactly(Role.USER, Role.ASSISTANT);
        assertThat(vm.statusProperty().get()).startsWith("Stopped. ").contains("could not be kept on disk");
    }
}
