package dev.canopy.ui;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.app.memories.MemoryFact;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.ui.DesktopDriver.Bubble;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real desktop window (TestFX on Monocle's headless glass, no display) over real services, a
 * temporary data folder with a SQLite database, and a tiny random-weight GGUF model with a real
 * tokenizer: its answers are gibberish, but real tokens stream through the real UI.
 */
class DesktopWindowTest {
    @TempDir static Path models;
    static Path model;
    @TempDir Path home;
    final DesktopDriver ui = new DesktopDriver();

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("qwen2"), models.resolve("tiny.gguf"));
    }

    @AfterEach
    void close() throws Exception {
        ui.close();
    }

    @Test
    void importingAModelByItsPathListsItWithItsMetadataAndMemoryNeed() throws Exception {
        ui.launch(home);
        // No model yet: the window opens on the welcome page, which leads to Models.
        ui.waitUntil("the welcome page is shown", () -> ui.lookup("#welcome", javafx.scene.Node.class).isVisible());
        ui.robot.clickOn("#welcome-open-models");
        ui.waitUntil("the Models view is shown", () -> ui.lookup("#model-source", javafx.scene.Node.class).isVisible());
        ui.robot.clickOn("#model-source").write(model.toString());
        ui.robot.clickOn("#add-model");

        ui.waitUntil("the model is listed", () -> !ui.all("#models .model-meta", Label.class).isEmpty());
        String meta = ui.text("#models .model-meta");
        assertThat(meta).startsWith("qwen2 · ").contains("F32").contains("context 4,096").contains("Canopy engine");
        // How it compares with this machine depends on the machine (ModelsViewModelTest checks the wording).
        assertThat(ui.text("#models .model-need")).matches("Needs about [\\d.]+ (MB|GB) at 4,096 tokens of context · .*");
        String name = ui.text("#models .model-name");
        assertThat(name).startsWith("● "); // the first model becomes the chat model
        assertThat(ui.text("#models-message")).isEqualTo("Added " + name.substring(2) + ".");
        assertThat(ui.text("#models-error")).isEmpty();
        assertThat(new SettingsStore(home).settings().activeModel()).isEqualTo(model.toString());
    }

    @Test
    void sendingAMessageStreamsTheAnswerIntoTheMessageList() throws Exception {
        useModel();
        ui.launch(home);
        List<Integer> partialLengths = new ArrayList<>();
        DesktopDriver.fx(() -> {
            ui.robot.lookup("#messages").query().getScene().addPostLayoutPulseListener(() -> {
                List<Bubble> b = ui.bubbles();
                boolean writing = !ui.lookup("#stop", Button.class).isDisabled();
                if (writing && !b.isEmpty() && !b.getLast().user() && !b.getLast().text().isEmpty()) {
                    int n = b.getLast().text().length();
                    if (partialLengths.isEmpty() || partialLengths.getLast() != n) partialLengths.add(n);
                }
            });
            return null;
        });

        ui.robot.clickOn("#composer").write("Hello there, how are you?");
        ui.robot.type(KeyCode.ENTER);

        ui.waitUntil("the answer is finished", () -> !ui.lookup("#send", Button.class).isDisabled()
                && ui.bubbles().size() == 2 && !ui.bubbles().get(1).footer().isEmpty());
        List<Bubble> shown = DesktopDriver.fx(ui::bubbles);
        assertThat(shown.get(0)).isEqualTo(new Bubble(true, "Hello there, how are you?", ""));
        assertThat(shown.get(1).user()).isFalse();
        assertThat(shown.get(1).text()).isNotBlank();
        assertThat(shown.get(1).footer()).matches("\\d+ tokens · .* tok/s · first token \\d+ ms · prompt [\\d,]+ tokens.* tok/s")
                .doesNotContain("stopped");
        // The answer grew in the window while it was being written, not only at the end.
        assertThat(DesktopDriver.fx(() -> List.copyOf(partialLengths))).hasSizeGreaterThan(1);
        assertThat(DesktopDriver.fx(() -> ui.lookup("#composer", javafx.scene.control.TextArea.class).getText())).isEmpty();
        assertThat(ui.all("#conversations .list-cell", ListCell.class).stream().map(c -> DesktopDriver.fx(c::getText)))
                .contains("Hello there, how are you?");
        assertThat(ui.text("#context-meter")).matches("[\\d,]+ / 192 tokens");
    }

    @Test
    void stoppingMidAnswerKeepsThePartialAnswerMarkedStopped() throws Exception {
        useModel();
        ui.launch(home);
        // Press Stop in the first frame that shows part of the answer: deterministic even on a loaded machine.
        String[] partial = {null};
        DesktopDriver.fx(() -> {
            ui.robot.lookup("#messages").query().getScene().addPostLayoutPulseListener(() -> {
                List<Bubble> b = ui.bubbles();
                Button stop = ui.lookup("#stop", Button.class);
                if (partial[0] == null && !stop.isDisabled() && !b.isEmpty() && !b.getLast().user()
                        && !b.getLast().text().isBlank()) {
                    partial[0] = b.getLast().text();
                    stop.fire();
                }
            });
            return null;
        });
        ui.robot.clickOn("#composer").write("Tell me a very long story.");
        ui.robot.clickOn("#send");

        ui.waitUntil("the stopped answer is shown", () -> !ui.lookup("#send", Button.class).isDisabled()
                && ui.bubbles().size() == 2 && !ui.bubbles().get(1).footer().isEmpty());
        Bubble answer = DesktopDriver.fx(ui::bubbles).get(1);
        assertThat(DesktopDriver.fx(() -> partial[0])).isNotNull();
        assertThat(answer.footer()).endsWith(" · stopped");
        assertThat(answer.text()).isNotBlank();
        assertThat(ui.text("#chat-status")).isEqualTo("Stopped.");
        try (DesktopServices stored = openStored()) {
            var c = stored.conversations().list().getFirst();
            assertThat(stored.conversations().messages(c.id())).extracting(m -> m.role())
                    .containsExactly(Role.USER, Role.ASSISTANT);
        }
    }

    @Test
    void editingAnEarlierMessageResendsItAndReplacesWhatFollowed() throws Exception {
        useModel();
        ConversationId id;
        try (DesktopServices app = DesktopServices.open(home)) {
            var repo = app.conversations();
            id = repo.create("Capitals").id();
            repo.append(id, Role.USER, "What is the capital of France?", Optional.empty());
            repo.append(id, Role.ASSISTANT, "Paris.", Optional.empty());
            repo.append(id, Role.USER, "And of Spain?", Optional.empty());
            repo.append(id, Role.ASSISTANT, "Madrid.", Optional.empty());
        }
        ui.launch(home);
        ui.waitUntil("the conversation is open", () -> ui.bubbles().size() == 4);
        stopOnFirstText();
        ui.robot.clickOn(DesktopDriver.fx(() -> ui.all(".edit-message", Button.class).getFirst()));
        TextArea edit = ui.lookup(".edit-text", TextArea.class);
        ui.robot.interact(edit::clear);
        ui.robot.clickOn(edit).write("What is the capital of Italy?");
        ui.robot.clickOn(".resend");

        ui.waitUntil("the new answer is shown", () -> !ui.lookup("#send", Button.class).isDisabled()
                && ui.bubbles().size() == 2 && !ui.bubbles().get(1).footer().isEmpty());
        List<Bubble> shown = DesktopDriver.fx(ui::bubbles);
        assertThat(shown.getFirst()).isEqualTo(new Bubble(true, "What is the capital of Italy?", ""));
        assertThat(shown.get(1).text()).isNotBlank().isNotEqualTo("Paris.");
        try (DesktopServices stored = openStored()) {
            assertThat(stored.conversations().messages(id)).extracting(m -> m.content())
                    .first().isEqualTo("What is the capital of Italy?");
            assertThat(stored.conversations().messages(id)).hasSize(2);
        }
    }

    @Test
    void aConversationsSystemPromptAndStyleAreSavedFromTheWindow() throws Exception {
        ConversationId id;
        try (DesktopServices app = DesktopServices.open(home)) {
            id = app.conversations().create("Tutoring").id();
            app.conversations().append(id, Role.USER, "Explain fractions.", Optional.empty());
        }
        ui.launch(home);
        ui.robot.clickOn("#nav-chat");
        ui.robot.clickOn(cell("#conversations", "Tutoring"));
        ui.robot.clickOn("#conversation-settings .title");
        ui.robot.clickOn("#system-prompt").write("Answer like a patient tutor.");
        ui.robot.clickOn("#save-conversation-settings");
        ui.waitUntil("the settings are saved", () -> ui.lookup("#save-conversation-settings", Button.class).isDisabled());
        ui.robot.clickOn("#preset").clickOn(cell(".combo-box-popup", "Precise"));
        ui.waitUntil("the style is saved", () -> ui.text("#conversation-settings-message").startsWith("Saved."));
        ui.close();
        try (DesktopServices stored = openStored()) {
            var c = stored.conversations().find(id).orElseThrow();
            assertThat(c.systemPrompt()).isEqualTo("Answer like a patient tutor.");
            assertThat(c.preset()).isEqualTo(dev.canopy.app.chat.SamplingPreset.PRECISE);
        }
    }

    @Test
    void choosingAnotherConversationShowsItsMessages() throws Exception {
        try (DesktopServices app = DesktopServices.open(home)) {
            var repo = app.conversations();
            var alpha = repo.create("Alpha trip").id();
            repo.append(alpha, Role.USER, "Where should we go in Alpha?", Optional.empty());
            repo.append(alpha, Role.ASSISTANT, "Alpha has a lovely lake.", Optional.empty());
            var beta = repo.create("Beta plans").id();
            repo.append(beta, Role.USER, "What is the Beta plan?", Optional.empty());
        }
        ui.launch(home);
        ui.robot.clickOn("#nav-chat");
        ui.robot.clickOn(cell("#conversations", "Alpha trip"));
        ui.waitUntil("Alpha's messages are shown", () -> ui.bubbles().size() == 2);
        assertThat(DesktopDriver.fx(ui::bubbles)).extracting(Bubble::text)
                .containsExactly("Where should we go in Alpha?", "Alpha has a lovely lake.");

        ui.robot.clickOn(cell("#conversations", "Beta plans"));
        ui.waitUntil("Beta's messages are shown", () -> ui.bubbles().size() == 1);
        assertThat(DesktopDriver.fx(ui::bubbles)).extracting(Bubble::text).containsExactly("What is the Beta plan?");
        ConversationId betaId = new SettingsStore(home).uiState().lastConversationId();
        try (DesktopServices stored = openStored()) {
            assertThat(stored.conversations().find(betaId).orElseThrow().title()).isEqualTo("Beta plans");
        }
    }

    @Test
    void deletingAMemoryInTheMemoryViewRemovesIt() throws Exception {
        try (DesktopServices app = DesktopServices.open(home)) {
            var repo = app.conversations();
            var pets = repo.create("Pets").id();
            repo.append(pets, Role.USER, "My cat Miso loves sardines.", Optional.empty());
            repo.append(pets, Role.ASSISTANT, "Noted.", Optional.empty());
            app.memory().remember(pets, "Pets", List.of());
            assertThat(app.memory().timeline()).anyMatch(f -> f.text().contains("sardines"));
        }
        ui.launch(home);
        ui.robot.clickOn("#nav-memory");
        ui.waitUntil("the memory is listed", () -> ui.all("#facts .list-cell", ListCell.class).stream()
                .anyMatch(c -> c.getText() != null && c.getText().contains("sardines")));
        ui.robot.clickOn(cell("#facts", "sardines"));
        ui.robot.clickOn("#delete-fact");

        ui.waitUntil("the memory is gone", () -> ui.all("#facts .list-cell", ListCell.class).stream()
                .noneMatch(c -> c.getText() != null && c.getText().contains("sardines")));
        assertThat(ui.text("#memory-message")).isEqualTo("Memory deleted.");
        ui.robot.clickOn("#undo-delete");
        ui.waitUntil("Undo brings it back", () -> ui.all("#facts .list-cell", ListCell.class).stream()
                .anyMatch(c -> c.getText() != null && c.getText().contains("sardines")));
        assertThat(ui.text("#memory-message")).isEqualTo("Memory restored.");
        ui.robot.clickOn(cell("#facts", "sardines"));
        ui.robot.clickOn("#delete-fact");
        ui.waitUntil("the memory is gone again", () -> ui.all("#facts .list-cell", ListCell.class).stream()
                .noneMatch(c -> c.getText() != null && c.getText().contains("sardines")));
        ui.close();   // closing within the undo time keeps the deletion
        try (DesktopServices stored = openStored()) {
            assertThat(stored.memory().timeline()).extracting(MemoryFact::text).noneMatch(t -> t.contains("sardines"));
        }
    }

    @Test
    void aMemoryUsedByAnAnswerOpensTheMemoryViewAtThatMemory() throws Exception {
        DemoData.fill(home, model);
        ui.launch(home);
        ui.waitUntil("the answer lists its memories", () -> !ui.all(".memory-link", javafx.scene.control.Hyperlink.class).isEmpty());
        assertThat(DesktopDriver.fx(() -> ui.all(".md-table .label", Label.class).stream().map(Label::getText).toList()))
                .as("the answer's table shows its cells").contains("day", "Saturday", "senior wet food");
        String used = DesktopDriver.fx(() -> {
            var link = ui.all(".memory-link", javafx.scene.control.Hyperlink.class).getFirst();
            link.fire();
            return link.getText();
        });
        ui.waitUntil("the Memory view shows that memory", () -> ui.robot.lookup("#facts").tryQueryAs(javafx.scene.control.ListView.class)
                .map(facts -> facts.getSelectionModel().getSelectedItem() instanceof MemoryFact f && f.text().equals(used))
                .orElse(false));
        assertThat(ui.text("#memory-message")).isEmpty();
    }

    @Test
    void aCitationInASummaryOpensTheCitedPassage() throws Exception {
        DemoData.fill(home, model);
        ui.launch(home);
        ui.robot.clickOn("#nav-documents");
        ui.waitUntil("the summary shows its citations", () -> !ui.all("#summary .citation", javafx.scene.control.Hyperlink.class).isEmpty());
        var food = DesktopDriver.fx(() -> ui.all("#summary .citation", javafx.scene.control.Hyperlink.class).stream()
                .filter(h -> h.getText().equals("[lines 8–10]")).findFirst().orElseThrow());
        ui.robot.clickOn(food);
        ui.waitUntil("the passage is shown", () -> ui.lookup("#passage", javafx.scene.Node.class).isVisible());
        assertThat(ui.text("#passage-title")).isEqualTo("Lines 8–10 of caring-for-an-older-cat.md");
        assertThat(ui.text("#passage-text")).contains("sardines is a treat").doesNotContain("eleven years");
    }

    /** Presses Stop in the first frame that shows part of an answer (deterministic on a loaded machine). */
    private void stopOnFirstText() {
        boolean[] pressed = {false};
        DesktopDriver.fx(() -> {
            ui.robot.lookup("#messages").query().getScene().addPostLayoutPulseListener(() -> {
                List<Bubble> b = ui.bubbles();
                Button stop = ui.lookup("#stop", Button.class);
                if (!pressed[0] && !stop.isDisabled() && !b.isEmpty() && !b.getLast().user() && !b.getLast().text().isBlank()) {
                    pressed[0] = true;
                    stop.fire();
                }
            });
            return null;
        });
    }

    @Test
    void keepingTheKvOnDiskIsTurnedOnInSettingsWithItsBudgetAndFolder() throws Exception {
        SettingsStore store = new SettingsStore(home);
        store.save(store.settings().withActiveModel(model.toString()));
        ui.launch(home);
        ui.robot.clickOn("#nav-settings");
        ui.waitUntil("the Settings view is shown", () -> ui.lookup("#kv-tiers", javafx.scene.Node.class).isVisible());
        javafx.scene.control.TextField ram = ui.lookup("#kv-ram-mb", javafx.scene.control.TextField.class);
        assertThat(ram.isDisabled()).as("the KV fields wait for the switch").isTrue();
        ui.robot.clickOn("#kv-tiers .thumb-area");
        ui.waitUntil("the KV fields are enabled", () -> !ram.isDisabled());
        DesktopDriver.fx(() -> {
            ram.setText("300");
            ui.lookup("#kv-folder", javafx.scene.control.TextField.class).setText(home.resolve("kv-here").toString());
            return null;
        });
        ui.robot.clickOn("#save-settings");
        ui.waitUntil("the settings are saved", () -> !ui.text("#settings-message").isEmpty());
        assertThat(ui.text("#settings-message")).startsWith("Saved.");
        var saved = new SettingsStore(home).settings();
        assertThat(saved.kvTiers()).isTrue();
        assertThat(saved.kvCpuMb()).isEqualTo(300);
        assertThat(new SettingsStore(home).paths().kvDir()).isEqualTo(home.resolve("kv-here"));
    }

    /** The tiny model answers in chat; a 192-token context keeps its (random-length) answers short. */
    private void useModel() throws ReflectiveOperationException {
        SettingsStore s = new SettingsStore(home);
        s.save(withComponent(s.settings().withActiveModel(model.toString()), "contextTokens", 192));
    }

    /** A copy of a record with one component replaced (independent of the record's other fields). */
    static <R extends Record> R withComponent(R r, String name, Object value) throws ReflectiveOperationException {
        RecordComponent[] cs = r.getClass().getRecordComponents();
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            args[i] = cs[i].getName().equals(name) ? value : cs[i].getAccessor().invoke(r);
        }
        @SuppressWarnings("unchecked") R copy = (R) r.getClass().getDeclaredConstructor(types).newInstance(args);
        return copy;
    }

    private DesktopServices openStored() {
        return DesktopServices.open(home);
    }

    /** The list cell of {@code list} whose text contains {@code text}. */
    private ListCell<?> cell(String list, String text) {
        ui.waitUntil(list + " shows \"" + text + "\"", () -> ui.all(list + " .list-cell", ListCell.class).stream()
                .anyMatch(c -> c.getText() != null && c.getText().contains(text)));
        return DesktopDriver.fx(() -> ui.all(list + " .list-cell", ListCell.class).stream()
                .filter(c -> c.getText() != null && c.getText().contains(text)).findFirst().orElseThrow());
    }
}
