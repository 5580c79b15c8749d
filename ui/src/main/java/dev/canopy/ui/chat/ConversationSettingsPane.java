package dev.canopy.ui.chat;

import dev.canopy.app.chat.SamplingPreset;
import atlantafx.base.theme.Styles;
import dev.canopy.ui.common.Ui;
import javafx.geometry.Insets;
import org.kordamp.ikonli.feather.Feather;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The open conversation's system prompt and sampling preset. Binds to {@link ConversationSettingsViewModel}. */
final class ConversationSettingsPane extends TitledPane {
    ConversationSettingsPane(ConversationSettingsViewModel vm) {
        setText("This conversation: instructions and style");
        setGraphic(Ui.icon(Feather.SLIDERS));
        setId("conversation-settings");
        setExpanded(false);
        disableProperty().bind(vm.availableProperty().not());

        TextArea prompt = new TextArea();
        prompt.setId("system-prompt");
        prompt.setPromptText("System prompt: instructions the model follows in this conversation, e.g. \"Answer briefly, in French.\"");
        prompt.setWrapText(true);
        prompt.setPrefRowCount(3);
        prompt.textProperty().bindBidirectional(vm.systemPromptProperty());

        ComboBox<SamplingPreset> preset = new ComboBox<>();
        preset.setId("preset");
        preset.getItems().setAll(vm.presets());
        preset.valueProperty().bindBidirectional(vm.presetProperty());
        preset.setCellFactory(v -> new PresetCell(true));
        preset.setButtonCell(new PresetCell(false));
        Button save = Ui.button("Save instructions", Feather.CHECK, "Save this conversation's instructions");
        save.setId("save-conversation-settings");
        save.disableProperty().bind(vm.changedProperty().not());
        save.setOnAction(e -> vm.save());
        Button revert = Ui.button("Revert", Feather.ROTATE_CCW, "Back to the saved instructions");
        revert.disableProperty().bind(vm.changedProperty().not());
        revert.setOnAction(e -> vm.revert());
        Label message = new Label();
        message.setId("conversation-settings-message");
        message.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        message.textProperty().bind(vm.messageProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox row = new HBox(Ui.S, new Label("Style"), preset, grow, message, revert, save);
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        VBox box = new VBox(Ui.S, prompt, row);
        box.setPadding(new Insets(Ui.S));
        setContent(box);
    }

    private static final class PresetCell extends ListCell<SamplingPreset> {
        private final boolean withDescription;

        PresetCell(boolean withDescription) { this.withDescription = withDescription; }

        @Override
        protected void updateItem(SamplingPreset p, boolean empty) {
            super.updateItem(p, empty);
            setText(empty || p == null ? null : withDescription ? p.label() + " — " + p.description() : p.label());
        }
    }
}
