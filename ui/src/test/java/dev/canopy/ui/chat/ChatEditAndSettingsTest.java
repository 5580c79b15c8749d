package dev.canopy.ui.chat;

import dev.canopy.memory.conversation.Role;
import dev.canopy.app.chat.SamplingPreset;
import dev.canopy.app.chat.StoredMessage;
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

import static dev.canopy.ui.chat.ChatViewModelTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Edit-and-resend, and a conversation's own system prompt and sampling preset, over the real services. */
class ChatEditAndSettingsTest {
    @TempDir static Path models;
    static Path model;
    @TempDir Path home;
    DesktopServices services;
    ChatViewModel vm;

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("qwen2"), models.resolve("tiny.gguf"));
    }

    @BeforeEach
    void setUp() {
        services = DesktopServices.open(home);
        services.settings().save(services.settings().settings().withActiveModel(model.toString()));
        vm = new ChatViewModel(services.chat(), UiThreads.of(Runnable::run), id -> {});
        vm.start(java.util.Optional.empty());
    }

    @AfterEach
    void tearDown() {
        services.close();
    }

    /** Sends {@code text}; the answer is stopped after {@code pieces} streamed pieces. */
    void ask(String text, int pieces) throws InterruptedException {
        stopAfter(pieces);
        vm.draftProperty().set(text);
        vm.send();
        await(() -> !vm.busyProperty().get());
    }

    void stopAfter(int pieces) {
        ChatViewModelTestSupport.stopAfter(vm, pieces);
    }

    @Test
    void editingAnEarlierMessageReplacesItAndEverythingAfterItAndAnswersAgain() throws Exception {
        ask("What is the capital of France?", 2);
        ask("And of Spain?", 2);
        assertThat(vm.messages()).hasSize(4);
        MessageItem first = vm.messages().getFirst();
        var conversation = vm.currentProperty().get().id();

        vm.editAndResend(first, "   ");
        assertThat(vm.errorProperty().get()).contains("cannot be empty");
        assertThat(vm.messages()).hasSize(4);

        stopAfter(2);
        vm.editAndResend(first, "What is the capital of Italy?");
        await(() -> !vm.busyProperty().get());

        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.messages()).extracting(MessageItem::role).containsExactly(Role.USER, Role.ASSISTANT);
        assertThat(vm.messages().getFirst().text()).isEqualTo("What is the capital of Italy?");
        assertThat(vm.messages().get(1).text()).isNotBlank();
        assertThat(services.conversations().messages(conversation)).extracting(StoredMessage::content)
                .first().isEqualTo("What is the capital of Italy?");
        assertThat(services.conversations().messages(conversation)).hasSize(2)
                .noneMatch(m -> m.content().equals("And of Spain?"));
    }

    @Test
    void aConversationKeepsItsOwnSystemPromptAndPresetAndTheNextAnswerUsesThem() throws Exception {
        ask("Hello", 2);
        var first = vm.currentProperty().get();
        ConversationSettingsViewModel settings = vm.conversationSettings();
        assertThat(settings.availableProperty().get()).isTrue();
        assertThat(settings.presetProperty().get()).isEqualTo(SamplingPreset.BALANCED);
        int before = tokens(vm.contextGauge().textProperty().get());

        settings.systemPromptProperty().set("You are a patient tutor. ".repeat(20));
        assertThat(settings.changedProperty().get()).isTrue();
        settings.save();
        assertThat(settings.changedProperty().get()).isFalse();
        assertThat(settings.messageProperty().get()).startsWith("Saved.");
        // the prompt counts now (counted on the worker)
        long until = System.nanoTime() + 60_000_000_000L;
        while (tokens(vm.contextGauge().textProperty().get()) <= before && System.nanoTime() < until) Thread.sleep(20);
        assertThat(tokens(vm.contextGauge().textProperty().get())).isGreaterThan(before);
        settings.presetProperty().set(SamplingPreset.PRECISE); // saved at once
        var stored = services.conversations().find(first.id()).orElseThrow();
        assertThat(stored.systemPrompt()).startsWith("You are a patient tutor.");
        assertThat(stored.preset()).isEqualTo(SamplingPreset.PRECISE);

        // Another conversation has its own (default) settings; coming back shows the saved ones.
        vm.newConversation();
        assertThat(settings.systemPromptProperty().get()).isEmpty();
        assertThat(settings.presetProperty().get()).isEqualTo(SamplingPreset.BALANCED);
        assertThat(services.conversations().find(first.id()).orElseThrow().preset()).isEqualTo(SamplingPreset.PRECISE);
        vm.open(services.conversations().find(first.id()).orElseThrow());
        assertThat(settings.systemPromptProperty().get()).startsWith("You are a patient tutor.");

        // Precise is greedy: answering the same question twice writes the same words.
        stopAfter(6);
        vm.regenerate();
        await(() -> !vm.busyProperty().get());
        String once = vm.messages().getLast().text();
        stopAfter(6);
        vm.regenerate();
        await(() -> !vm.busyProperty().get());
        assertThat(vm.messages().getLast().text()).isNotBlank().isEqualTo(once);

        // Unsaved edits can be dropped.
        settings.systemPromptProperty().set("Something else");
        settings.revert();
        assertThat(settings.systemPromptProperty().get()).startsWith("You are a patient tutor.");
    }

    static int tokens(String meter) {
        return Integer.parseInt(meter.replace("≈", "").split(" / ")[0].replace(",", "").strip());
    }
}
