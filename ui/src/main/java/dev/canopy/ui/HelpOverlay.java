package dev.canopy.ui;

import atlantafx.base.theme.Styles;
import dev.canopy.ui.common.Ui;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;

import java.util.List;

/** F1: the keyboard shortcuts over a dimmed window; Esc, F1 or Close hides it. */
final class HelpOverlay extends StackPane {
    /** One shortcut as listed. */
    record Shortcut(String keys, String action) {}

    static final List<Shortcut> SHORTCUTS = List.of(
            new Shortcut("Ctrl+1 … Ctrl+5", "Chat, Documents, Models, Memory, Settings"),
            new Shortcut("Ctrl+N", "New chat"),
            new Shortcut("Ctrl+L", "Go to the message field"),
            new Shortcut("Enter / Shift+Enter", "Send / new line"),
            new Shortcut("Esc", "Stop the answer being written (or close this help)"),
            new Shortcut("Ctrl+R", "Write the last answer again"),
            new Shortcut("Ctrl+F", "Search conversations"),
            new Shortcut("Ctrl+E", "Export the conversation as Markdown"),
            new Shortcut("Ctrl+I", "Import a conversation (JSON)"),
            new Shortcut("Tab / Shift+Tab", "Move between controls; Space or Enter presses the focused one"),
            new Shortcut("F1", "Show or hide these shortcuts"));

    HelpOverlay() {
        setId("help-overlay");
        getStyleClass().add("help-scrim");
        GridPane grid = new GridPane();
        grid.setHgap(Ui.L);
        grid.setVgap(Ui.S);
        int r = 0;
        for (Shortcut s : SHORTCUTS) {
            Label keys = new Label(s.keys());
            keys.getStyleClass().add("kbd");
            grid.addRow(r++, keys, new Label(s.action()));
        }
        Button close = Ui.button("Close", Feather.X, "Close (Esc)");
        close.setId("close-help");
        close.setOnAction(e -> toggle());
        HBox bottom = new HBox(close);
        bottom.setAlignment(Pos.CENTER_RIGHT);
        Label title = new Label("Keyboard shortcuts", Ui.icon(Feather.HELP_CIRCLE));
        title.getStyleClass().add(Styles.TITLE_3);
        VBox card = new VBox(Ui.M, title, grid, bottom);
        card.getStyleClass().add("help-overlay");
        card.setMaxSize(USE_PREF_SIZE, USE_PREF_SIZE);
        getChildren().add(card);
        setVisible(false);
        setOnMouseClicked(e -> { if (e.getTarget() == this) toggle(); });
    }

    void toggle() {
        setVisible(!isVisible());
        if (isVisible()) lookup("#close-help").requestFocus();
    }
}
