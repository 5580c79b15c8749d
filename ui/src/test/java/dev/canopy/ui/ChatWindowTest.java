package dev.canopy.ui;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.ui.DesktopDriver.Bubble;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat in the real window (TestFX on Monocle, real services, a tiny random-weight model): what
 * it shows follows the app's state at once, the context gauge, branching, the keyboard help.
 */
class ChatWindowTest {
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

    /**
     * The new user's path that used to go wrong: fresh data folder, the model added by typing its
     * path in Models, then Chat. The chat said "No model yet" and the gauge "≈0 / 8,192" during the
     * first answer.
     */
    @Test
    void aModelAddedInModelsIsTheChatsAtOnceAndTheGaugeFollowsTheFirstAnswer() throws Exception {
        SettingsStore s = new SettingsStore(home);
        // short random answers, on the processor (the default is the GPU where one exists, as in CI's lavapipe)
        s.save(DesktopWindowTest.withComponent(DesktopWindowTest.withComponent(s.settings(), "contextTokens", 192),
                "device", dev.canopy.app.settings.ComputeDevice.CPU));
        ui.launch(home);
        // No model: the welcome page, with the suggested downloads and whether each fits this computer.
        ui.waitUntil("the welcome page is shown", () -> ui.lookup("#welcome", Node.class).isVisible());
        assertThat(DesktopDriver.fx(() -> ui.all("#welcome .card", Node.class).size())).isGreaterThan(0);
        assertThat(DesktopDriver.fx(() -> ui.all("#welcome .card .label", Label.class).stream().map(Label::getText).toList()))
                .anyMatch(t -> t.matches("[\\d.]+ (MB|GB) · (Fits this computer|Tight: .*|Too big for this computer)"));
        ui.robot.clickOn("#welcome-open-models");
        ui.robot.clickOn("#model-source").write(model.toString());
        ui.robot.clickOn("#add-model");
        ui.waitUntil("the model is listed", () -> !ui.all("#models .model-meta", Label.class).isEmpty());
        String name = ui.text("#models .model-name").replace("● ", "");

        ui.robot.clickOn("#nav-chat");
        assertThat(DesktopDriver.fx(() -> ui.lookup("#welcome", Node.class).isVisible())).isFalse();
        assertThat(ui.text("#chat-hint")).isEqualTo("Ask anything. Everything stays on this computer.");
        assertThat(DesktopDriver.fx(() -> String.valueOf(ui.lookup("#model-switcher", ComboBox.class).getValue())))
                .isEqualTo(name);
        // where the model will run on this machine: the CPU, or the GPU when it has one
        ui.waitUntil("the model bar says where the model runs", () -> ui.text("#model-details").matches("Canopy engine · (CPU|GPU) ?.*"));

        List<String> gaugeWhileWriting = new ArrayList<>();
        DesktopDriver.fx(() -> {
            ui.robot.lookup("#messages").query().getScene().addPostLayoutPulseListener(() -> {
                List<Bubble> b = ui.bubbles();
                if (!ui.lookup("#stop", Button.class).isDisabled() && !b.isEmpty() && !b.getLast().user()
                        && !b.getLast().text().isBlank()) {
                    gaugeWhileWriting.add(((Label) ui.lookup("#context-meter", Label.class)).getText());
                }
            });
            return null;
        });
        ui.robot.clickOn("#composer").write("Hello there, how are you?");
        ui.robot.type(KeyCode.ENTER);
        ui.waitUntil("the answer is finished", () -> !ui.lookup("#send", Button.class).isDisabled()
                && ui.bubbles().size() == 2 && !ui.bubbles().get(1).footer().isEmpty());

        List<String> seen = DesktopDriver.fx(() -> List.copyOf(gaugeWhileWriting));
        assertThat(seen).isNotEmpty();
        // Counted with the model while the answer is written (no "≈"), never 0, and in the model's window.
        assertThat(seen).allSatisfy(t -> assertThat(t).matches("[1-9][\\d,]* / 192 tokens"));
        assertThat(tokens(seen.getLast())).isGreaterThanOrEqualTo(tokens(seen.getFirst()));
        ui.waitUntil("the model bar says the model is loaded", () -> "Loaded".equals(
                ((Label) ui.lookup("#model-state", Label.class)).getText()));
    }

    @Test
    void theGaugeWarnsBeforeTheConversationOverflows() throws Exception {
        useModel();
        ConversationId roomy, full;
        try (DesktopServices app = DesktopServices.open(home)) {
            var repo = app.conversations();
            roomy = repo.create("Short").id();
            repo.append(roomy, Role.USER, "Hi!", Optional.empty());
            full = repo.create("Long").id();
            // ≈178 of 192 tokens (counted by characters until the model is loaded): under the limit, nearly full
            repo.append(full, Role.USER, "a".repeat(340), Optional.empty());
            repo.append(full, Role.ASSISTANT, "b".repeat(340), Optional.empty());
        }
        ui.launch(home);
        ui.robot.clickOn("#nav-chat");
        ui.robot.clickOn(cell("#conversations", "Short"));
        ui.waitUntil("the short conversation's gauge", () -> ui.text("#context-meter").endsWith("/ 192 tokens")
                && ui.bubbles().size() == 1);
        assertThat(DesktopDriver.fx(() -> ui.lookup("#context-advice", Label.class).isVisible())).isFalse();

        ui.robot.clickOn(cell("#conversations", "Long"));
        ui.waitUntil("the warning", () -> ui.lookup("#context-advice", Label.class).isVisible());
        assertThat(tokens(ui.text("#context-meter"))).isLessThan(192);
        assertThat(ui.text("#context-advice")).startsWith("The context window is nearly full")
                .contains("leave out the oldest messages");
        assertThat(DesktopDriver.fx(() -> ui.lookup("#context-bar", Node.class).getStyleClass())).contains("danger");
    }

    @Test
    void branchingFromAMessageOpensACopyUpToItAndKeepsTheOriginal() throws Exception {
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
        ui.robot.clickOn("#nav-chat");
        ui.waitUntil("the conversation is open", () -> ui.bubbles().size() == 4);
        ui.robot.clickOn(DesktopDriver.fx(() -> ui.all(".branch-message", Button.class).get(1)));   // from "Paris."

        ui.waitUntil("the branch is open", () -> ui.bubbles().size() == 2);
        assertThat(DesktopDriver.fx(ui::bubbles)).extracting(Bubble::text)
                .containsExactly("What is the capital of France?", "Paris.");
        cell("#conversations", "Capitals (branch)");
        try (DesktopServices stored = DesktopServices.open(home)) {
            assertThat(stored.conversations().messages(id)).extracting(m -> m.content())
                    .containsExactly("What is the capital of France?", "Paris.", "And of Spain?", "Madrid.");
            assertThat(stored.conversations().list()).hasSize(2);
        }
    }

    @Test
    void f1ShowsTheShortcutsAndEscapeHidesThem() throws Exception {
        ui.launch(home);
        assertThat(DesktopDriver.fx(() -> ui.lookup("#help-overlay", Node.class).isVisible())).isFalse();
        ui.robot.type(KeyCode.F1);
        ui.waitUntil("the help is shown", () -> ui.lookup("#help-overlay", Node.class).isVisible());
        assertThat(DesktopDriver.fx(() -> ui.all("#help-overlay .kbd", Label.class).stream().map(Label::getText).toList()))
                .contains("Ctrl+N", "Esc", "F1", "Ctrl+E");
        ui.robot.type(KeyCode.ESCAPE);
        ui.waitUntil("the help is hidden", () -> !ui.lookup("#help-overlay", Node.class).isVisible());
        ui.robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT5).release(KeyCode.CONTROL);
        ui.waitUntil("Settings is shown", () -> ui.lookup("#save-settings", Node.class).isVisible());
    }

    private void useModel() throws ReflectiveOperationException {
        SettingsStore s = new SettingsStore(home);
        s.save(DesktopWindowTest.withComponent(s.settings().withActiveModel(model.toString()), "contextTokens", 192));
    }

    private static int tokens(String meter) {
        return Integer.parseInt(meter.replace("≈", "").split(" / ")[0].replace(",", ""));
    }

    private ListCell<?> cell(String list, String text) {
        ui.waitUntil(list + " shows \"" + text + "\"", () -> ui.all(list + " .list-cell", ListCell.class).stream()
                .anyMatch(c -> c.getText() != null && c.getText().equals(text)));
        return DesktopDriver.fx(() -> ui.all(list + " .list-cell", ListCell.class).stream()
                .filter(c -> c.getText() != null && c.getText().equals(text)).findFirst().orElseThrow());
    }
}
