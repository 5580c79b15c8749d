package dev.canopy.ui.chat;

import dev.canopy.app.chat.Conversation;
import dev.canopy.memory.conversation.Role;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.TitledPane;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The chat: conversation list on the left, messages and the composer on the right. Binds to {@link ChatViewModel}. */
public final class ChatView extends SplitPane {
    private final ChatViewModel vm;
    private final VBox messageBox = new VBox(12);
    private final ScrollPane scroll = new ScrollPane(messageBox);
    private final TextArea input = new TextArea();

    public ChatView(ChatViewModel vm) {
        this.vm = vm;
        getItems().addAll(sidebar(), conversation());
        setDividerPositions(0.26);
        vm.messages().addListener((ListChangeListener<MessageItem>) c -> renderMessages());
        renderMessages();
    }

    /** Focus the composer (Ctrl+N, start-up). */
    public void focusInput() { input.requestFocus(); }

    private VBox sidebar() {
        TextField search = new TextField();
        search.setPromptText("Search conversations (Ctrl+F)");
        search.setId("conversation-search");
        search.textProperty().bindBidirectional(vm.searchProperty());
        Button add = new Button("New chat");
        add.setId("new-chat");
        add.setMaxWidth(Double.MAX_VALUE);
        add.setOnAction(e -> { vm.newConversation(); input.requestFocus(); });
        ListView<Conversation> list = new ListView<>(vm.conversations());
        list.setId("conversations");
        list.setCellFactory(v -> new ConversationCell());
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && (vm.currentProperty().get() == null || !b.id().equals(vm.currentProperty().get().id()))) vm.open(b);
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        VBox box = new VBox(8, add, search, list);
        box.setPadding(new Insets(10));
        box.setMinWidth(200);
        return box;
    }

    private BorderPane conversation() {
        scroll.setFitToWidth(true);
        scroll.setId("messages");
        messageBox.setPadding(new Insets(16));
        Label error = new Label();
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());

        ProgressBar prefill = new ProgressBar();
        prefill.progressProperty().bind(vm.prefillProperty());
        prefill.visibleProperty().bind(vm.prefillProperty().greaterThanOrEqualTo(0));
        prefill.managedProperty().bind(prefill.visibleProperty());
        prefill.setMaxWidth(Double.MAX_VALUE);
        Label status = new Label();
        status.setId("chat-status");
        status.textProperty().bind(vm.statusProperty());
        Label meter = new Label();
        meter.setId("context-meter");
        meter.textProperty().bind(vm.contextMeterProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox statusRow = new HBox(8, status, grow, meter);

        input.setId("composer");
        input.setPromptText("Message (Enter sends, Shift+Enter new line)");
        input.setWrapText(true);
        input.setPrefRowCount(3);
        input.textProperty().bindBidirectional(vm.draftProperty());
        input.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && !e.isShiftDown()) { e.consume(); vm.send(); }
            else if (e.getCode() == KeyCode.ENTER) { input.insertText(input.getCaretPosition(), "\n"); e.consume(); }
        });
        Button send = new Button("Send");
        send.setId("send");
        send.setDefaultButton(false);
        send.disableProperty().bind(vm.busyProperty());
        send.setOnAction(e -> vm.send());
        Button stop = new Button("Stop");
        stop.setId("stop");
        stop.disableProperty().bind(vm.busyProperty().not());
        stop.setOnAction(e -> vm.stop());
        Button regenerate = new Button("Regenerate");
        regenerate.setId("regenerate");
        regenerate.disableProperty().bind(vm.busyProperty());
        regenerate.setOnAction(e -> vm.regenerate());
        VBox buttons = new VBox(6, send, stop, regenerate);
        HBox.setHgrow(input, Priority.ALWAYS);
        HBox composer = new HBox(8, input, buttons);

        Label memories = new Label();
        memories.setWrapText(true);
        vm.memoriesUsed().addListener((ListChangeListener<String>) c ->
                memories.setText(vm.memoriesUsed().isEmpty() ? "" : "• " + String.join("\n• ", vm.memoriesUsed())));
        TitledPane used = new TitledPane("Memories used for this answer", memories);
        used.setExpanded(false);
        used.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(vm.memoriesUsed()));
        used.managedProperty().bind(used.visibleProperty());

        VBox bottom = new VBox(6, error, used, prefill, statusRow, AttachmentDrop.chip(vm), composer);
        bottom.setPadding(new Insets(8, 12, 12, 12));
        BorderPane pane = new BorderPane(scroll);
        ConversationSettingsPane settings = new ConversationSettingsPane(vm.conversationSettings());
        BorderPane.setMargin(settings, new Insets(8, 12, 0, 12));
        pane.setTop(settings);
        pane.setBottom(bottom);
        AttachmentDrop.install(pane, vm);   // drop a document to ask about it
        return pane;
    }

    private void renderMessages() {
        messageBox.getChildren().clear();
        if (vm.messages().isEmpty()) {
            Label hint = new Label(vm.hasModel() ? "Ask anything. Everything stays on this computer."
                    : "No model yet. Open Models to import a GGUF file or download a small one.");
            hint.getStyleClass().add("hint");
            hint.setWrapText(true);
            messageBox.getChildren().add(hint);
        }
        for (MessageItem m : vm.messages()) messageBox.getChildren().add(bubble(m));
        scroll.layout();
        scroll.setVvalue(1.0);
    }

    private VBox bubble(MessageItem m) {
        Label who = new Label(m.role() == Role.USER ? "You" : "Canopy");
        who.getStyleClass().add("who");
        VBox body = MarkdownView.render(m.text());
        // A streamed answer changes once per token: render the latest text once per batch of queued tokens.
        boolean[] pending = {false};
        m.textProperty().addListener((o, a, b) -> {
            if (pending[0]) return;
            pending[0] = true;
            Platform.runLater(() -> {
                pending[0] = false;
                body.getChildren().setAll(MarkdownView.render(m.text()).getChildren());
                scroll.setVvalue(1.0);
            });
        });
        Label footer = new Label();
        footer.getStyleClass().add("footer");
        footer.textProperty().bind(m.footerProperty());
        VBox box = new VBox(4, who, body, footer);
        if (m.role() == Role.USER && !m.id().isEmpty()) box.getChildren().add(editRow(m, box, body));
        box.getStyleClass().addAll("bubble", m.role() == Role.USER ? "bubble-user" : "bubble-assistant");
        box.setAlignment(Pos.TOP_LEFT);
        return box;
    }

    /** "Edit": the message becomes a text field; "Resend" replaces it (and what follows) and answers again. */
    private HBox editRow(MessageItem m, VBox bubble, VBox body) {
        Button edit = new Button("Edit");
        edit.getStyleClass().addAll("flat", "edit-message");
        edit.disableProperty().bind(vm.busyProperty());
        HBox row = new HBox(6, edit);
        edit.setOnAction(e -> {
            TextArea text = new TextArea(m.text());
            text.getStyleClass().add("edit-text");
            text.setWrapText(true);
            text.setPrefRowCount(3);
            Button resend = new Button("Resend");
            resend.getStyleClass().add("resend");
            resend.setDefaultButton(false);
            resend.disableProperty().bind(vm.busyProperty());
            resend.setOnAction(a -> vm.editAndResend(m, text.getText()));
            Button cancel = new Button("Cancel");
            cancel.setOnAction(a -> {
                bubble.getChildren().set(1, body);
                row.getChildren().setAll(edit);
            });
            bubble.getChildren().set(1, text);
            row.getChildren().setAll(resend, cancel);
            text.requestFocus();
        });
        return row;
    }

    private final class ConversationCell extends ListCell<Conversation> {
        @Override
        protected void updateItem(Conversation c, boolean empty) {
            super.updateItem(c, empty);
            if (empty || c == null) { setText(null); setContextMenu(null); return; }
            setText((c.pinned() ? "📌 " : "") + c.title());
            MenuItem rename = new MenuItem("Rename…");
            rename.setOnAction(e -> {
                TextInputDialog d = new TextInputDialog(c.title());
                d.setHeaderText("Rename conversation");
                d.showAndWait().ifPresent(t -> vm.rename(c, t));
            });
            MenuItem pin = new MenuItem(c.pinned() ? "Unpin" : "Pin");
            pin.setOnAction(e -> vm.togglePin(c));
            MenuItem delete = new MenuItem("Delete");
            delete.setOnAction(e -> vm.delete(c));
            setContextMenu(new ContextMenu(rename, pin, delete));
        }
    }
}
