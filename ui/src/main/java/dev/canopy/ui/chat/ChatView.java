package dev.canopy.ui.chat;

import dev.canopy.memory.fact.FactId;
import atlantafx.base.theme.Styles;
import dev.canopy.app.chat.Conversation;
import dev.canopy.app.chat.ConversationFormat;
import dev.canopy.memory.conversation.Role;
import dev.canopy.ui.common.PassagePane;
import dev.canopy.ui.common.Ui;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The chat: conversation list on the left; on the right the model bar, the messages (each answer
 * with its figures and the memories its prompt held) and the composer with the context gauge.
 * Binds to {@link ChatViewModel} and {@link ModelBarViewModel}.
 */
public final class ChatView extends SplitPane {
    /** A streamed answer is re-rendered at most this often. */
    static final long RENDER_EVERY_MS = 80;
    private final List<MessageItem> shown = new ArrayList<>();   // the messages messageBox shows, in order
    private final StreamRenderer renderer = new StreamRenderer(RENDER_EVERY_MS);
    private static final KeyCombination PASTE = new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN);
    private final ChatViewModel vm;
    private final VBox messageBox = new VBox(Ui.M);
    private final ScrollPane scroll = new ScrollPane(messageBox);
    private final TextArea input = new TextArea();
    private final Label hint = new Label();
    private Consumer<FactId> openMemory = id -> {};

    public ChatView(ChatViewModel vm, ModelBarViewModel modelBar) {
        this.vm = vm;
        getItems().addAll(sidebar(), conversation(modelBar));
        setDividerPositions(0.24);
        vm.messages().addListener((ListChangeListener<MessageItem>) c -> renderMessages());
        hint.textProperty().bind(Bindings.when(vm.hasModelProperty())
                .then("Ask anything. Everything stays on this computer.")
                .otherwise("No model yet. Open Models to import a GGUF file or download a small one."));
        renderMessages();
    }

    /** Focus the composer (Ctrl+N, start-up). */
    public void focusInput() { input.requestFocus(); }

    /** What clicking a memory under an answer does: shows that fact in the Memory view. */
    public void setOnOpenMemory(Consumer<FactId> open) { this.openMemory = open; }

    private VBox sidebar() {
        TextField search = Ui.searchField("Search (Ctrl+F)");
        search.setId("conversation-search");
        search.textProperty().bindBidirectional(vm.searchProperty());
        Button add = Ui.accent(Ui.button("New chat", Feather.PLUS, "New chat (Ctrl+N)"));
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
        Button importJson = Ui.button("Import…", Feather.UPLOAD, "Import a conversation exported as JSON (Ctrl+I)");
        importJson.setId("import-conversation");
        importJson.setMaxWidth(Double.MAX_VALUE);
        importJson.setOnAction(e -> importConversation());
        VBox box = new VBox(Ui.S, add, search, list, importJson);
        box.setPadding(new Insets(Ui.M));
        box.setMinWidth(200);
        return box;
    }

    /** Asks for a .json file and imports it as a new conversation. */
    public void importConversation() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Import a conversation");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Canopy conversation (JSON)", "*.json"));
        File f = fc.showOpenDialog(getScene().getWindow());
        if (f != null) vm.importJson(f.toPath());
    }

    /** Asks where to save the open conversation and exports it (Markdown or JSON by the name's ending). */
    public void exportConversation(ConversationFormat format) {
        if (vm.currentProperty().get() == null) return;
        FileChooser fc = new FileChooser();
        fc.setTitle("Export the conversation as " + format.label());
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(format.label(), "*" + format.extension()));
        fc.setInitialFileName(ConversationFormat.fileName(vm.currentProperty().get().title(), format));
        File f = fc.showSaveDialog(getScene().getWindow());
        if (f != null) vm.export(f.toPath(), format);
    }

    private HBox modelBar(ModelBarViewModel bar) {
        MenuItem md = new MenuItem("Markdown (.md)", Ui.icon(Feather.FILE_TEXT));
        md.setOnAction(e -> exportConversation(ConversationFormat.MARKDOWN));
        MenuItem json = new MenuItem("JSON (.json), to import again", Ui.icon(Feather.CODE));
        json.setOnAction(e -> exportConversation(ConversationFormat.JSON));
        MenuButton export = new MenuButton("Export", Ui.icon(Feather.DOWNLOAD), md, json);
        export.setId("export-conversation");
        export.setTooltip(new Tooltip("Export this conversation (Ctrl+E)"));
        export.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        export.disableProperty().bind(vm.currentProperty().isNull());
        return ModelBarView.of(bar, export);
    }

    private BorderPane conversation(ModelBarViewModel bar) {
        scroll.setFitToWidth(true);
        scroll.setId("messages");
        messageBox.setPadding(new Insets(Ui.L));
        Label error = Ui.error(vm.errorProperty());

        ProgressBar prefill = new ProgressBar();
        prefill.setId("prefill");
        prefill.progressProperty().bind(vm.prefillProperty());
        prefill.visibleProperty().bind(vm.prefillProperty().greaterThanOrEqualTo(0));
        prefill.managedProperty().bind(prefill.visibleProperty());
        prefill.setMaxWidth(Double.MAX_VALUE);
        Label status = new Label();
        status.setId("chat-status");
        status.getStyleClass().add(Styles.TEXT_SMALL);
        status.textProperty().bind(vm.statusProperty());
        HBox statusRow = new HBox(Ui.S, status, Ui.grow(), gauge(vm.contextGauge()));
        statusRow.setAlignment(Pos.CENTER_LEFT);
        Label advice = new Label();
        advice.setId("context-advice");
        advice.setWrapText(true);
        advice.getStyleClass().add(Styles.TEXT_SMALL);
        advice.textProperty().bind(vm.contextGauge().adviceProperty());
        vm.contextGauge().levelProperty().addListener((o, a, l) -> {
            advice.getStyleClass().removeAll(Styles.WARNING, Styles.DANGER);
            if (l == ContextGauge.Level.FILLING) advice.getStyleClass().add(Styles.WARNING);
            if (l == ContextGauge.Level.NEARLY_FULL) advice.getStyleClass().add(Styles.DANGER);
        });
        Ui.hideWhenEmpty(advice);

        input.setId("composer");
        input.setPromptText("Message (Enter sends, Shift+Enter new line)");
        input.setWrapText(true);
        input.setPrefRowCount(3);
        input.textProperty().bindBidirectional(vm.draftProperty());
        input.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (PASTE.match(e) && pasteLarge()) e.consume();
        });
        input.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && !e.isShiftDown()) { e.consume(); vm.send(); }
            else if (e.getCode() == KeyCode.ENTER) { input.insertText(input.getCaretPosition(), "\n"); e.consume(); }
        });
        Button send = Ui.accent(Ui.button("Send", Feather.SEND, "Send (Enter)"));
        send.setId("send");
        send.setMaxWidth(Double.MAX_VALUE);
        send.disableProperty().bind(vm.busyProperty());
        send.setOnAction(e -> vm.send());
        Button stop = Ui.button("Stop", Feather.STOP_CIRCLE, "Stop the answer (Esc)");
        stop.setId("stop");
        stop.setMaxWidth(Double.MAX_VALUE);
        stop.disableProperty().bind(vm.busyProperty().not());
        stop.setOnAction(e -> vm.stop());
        Button regenerate = Ui.button("Regenerate", Feather.REFRESH_CW, "Write the last answer again (Ctrl+R)");
        regenerate.setId("regenerate");
        regenerate.setMaxWidth(Double.MAX_VALUE);
        regenerate.disableProperty().bind(vm.busyProperty());
        regenerate.setOnAction(e -> vm.regenerate());
        VBox buttons = new VBox(Ui.XS, send, stop, regenerate);
        HBox.setHgrow(input, Priority.ALWAYS);
        HBox composer = new HBox(Ui.S, input, buttons);

        VBox bottom = new VBox(Ui.XS, PassagePane.of(vm.passageProperty(), "chat-", 180), error, prefill, statusRow, advice, AttachmentDrop.chip(vm), composer);
        bottom.setPadding(new Insets(Ui.S, Ui.M, Ui.M, Ui.M));
        BorderPane pane = new BorderPane(scroll);
        ConversationSettingsPane settings = new ConversationSettingsPane(vm.conversationSettings());
        VBox.setMargin(settings, new Insets(0, Ui.M, 0, Ui.M));
        pane.setTop(new VBox(Ui.XS, modelBar(bar), settings));
        pane.setBottom(bottom);
        AttachmentDrop.install(pane, vm);   // drop a document to ask about it
        return pane;
    }

    /** A large paste becomes an attachment instead of text in the field (a 1 MB text field freezes the window). */
    private boolean pasteLarge() {
        Clipboard cb = Clipboard.getSystemClipboard();
        if (!cb.hasString()) return false;
        String s = cb.getString();
        return s != null && vm.pasteText(s);
    }

    /** "1,002 / 8,192 tokens" with a bar; warns (colour, advice line) before the window is full. */
    private static HBox gauge(ContextGauge g) {
        ProgressBar bar = new ProgressBar();
        bar.setId("context-bar");
        bar.setPrefWidth(120);
        bar.getStyleClass().add(Styles.SMALL);
        bar.progressProperty().bind(g.fractionProperty());
        Label meter = new Label();
        meter.setId("context-meter");
        meter.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        meter.textProperty().bind(g.textProperty());
        Tooltip.install(meter, new Tooltip("Tokens the conversation takes of the model's context window. When it is full, "
                + "the oldest messages are left out of what the model reads."));
        g.levelProperty().addListener((o, a, l) -> {
            bar.getStyleClass().removeAll(Styles.SUCCESS, Styles.WARNING, Styles.DANGER);
            bar.getStyleClass().add(l == ContextGauge.Level.NEARLY_FULL ? Styles.DANGER
                    : l == ContextGauge.Level.FILLING ? Styles.WARNING : Styles.SUCCESS);
        });
        bar.getStyleClass().add(Styles.SUCCESS);
        bar.visibleProperty().bind(g.textProperty().isNotEmpty());
        HBox box = new HBox(Ui.S, bar, meter);
        box.setAlignment(Pos.CENTER_RIGHT);
        return box;
    }

    /**
     * Shows the view-model's messages, keeping the bubbles of the leading messages that are still
     * the same (a new question or answer adds one bubble; it does not rebuild the conversation).
     */
    private void renderMessages() {
        List<MessageItem> items = vm.messages();
        if (items.isEmpty()) {
            shown.clear();
            hint.getStyleClass().setAll("label", Styles.TITLE_4, Styles.TEXT_MUTED);
            hint.setId("chat-hint");
            hint.setWrapText(true);
            messageBox.getChildren().setAll(hint);
            return;
        }
        if (shown.isEmpty()) messageBox.getChildren().clear();   // the hint
        int same = 0;
        while (same < shown.size() && same < items.size() && shown.get(same) == items.get(same)) same++;
        if (same == shown.size() && same == items.size()) return;
        messageBox.getChildren().remove(same, messageBox.getChildren().size());
        shown.subList(same, shown.size()).clear();
        for (MessageItem m : items.subList(same, items.size())) {
            messageBox.getChildren().add(bubble(m));
            shown.add(m);
        }
        scroll.setVvalue(1.0);   // a fraction: it stays at the end once the new bubbles are laid out
    }

    private VBox bubble(MessageItem m) {
        boolean user = m.role() == Role.USER;
        Label who = new Label(user ? "You" : "Canopy", Ui.icon(user ? Feather.USER : Feather.FEATHER));
        who.getStyleClass().add(Styles.TEXT_BOLD);
        HBox header = new HBox(Ui.XS, who, Ui.grow());
        header.setAlignment(Pos.CENTER_LEFT);
        // an answer's citations ([p. 4], [lines 8–10]) are links that open the attached document's passage
        VBox body = user ? MarkdownView.render(m.text()) : MarkdownView.render(m.text(), span -> vm.openCitation(m, span));
        // A streamed answer changes once per token; the renderer shows the latest text at most once per
        // RENDER_EVERY_MS, in an animation frame (each render re-lays out the answer).
        m.textProperty().addListener((o, a, b) -> renderer.changed(m, body));
        Label footer = new Label();
        footer.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED, "footer");
        footer.setWrapText(true);
        footer.textProperty().bind(m.footerProperty());
        VBox box = new SettledBox(Ui.XS, header, body, footer);   // an earlier message is not measured again
        if (!m.id().isEmpty()) {
            Button copy = Ui.iconButton(Feather.COPY, "Copy this message");
            copy.getStyleClass().add("copy-message");
            copy.setOnAction(e -> MarkdownView.copy(m.text()));
            Button branch = Ui.iconButton(Feather.GIT_BRANCH, "Branch: a new conversation up to this message (the original stays)");
            branch.getStyleClass().add("branch-message");
            branch.disableProperty().bind(vm.busyProperty());
            branch.setOnAction(e -> vm.branchFrom(m));
            header.getChildren().addAll(copy, branch);
        }
        if (user && !m.id().isEmpty()) box.getChildren().add(editRow(m, box, body));
        if (!user) box.getChildren().add(memoriesUsed(m));
        box.getStyleClass().addAll("bubble", user ? "bubble-user" : "bubble-assistant");
        box.setAlignment(Pos.TOP_LEFT);
        return box;
    }

    /** "Memories used (n)": the facts this answer's prompt held, each a link to it in the Memory view. */
    private TitledPane memoriesUsed(MessageItem m) {
        VBox links = new VBox(Ui.XS);
        TitledPane pane = new TitledPane("", links);
        pane.getStyleClass().addAll("memories-used", Styles.DENSE);
        pane.setExpanded(false);
        pane.setGraphic(Ui.icon(Feather.BOOKMARK));
        Runnable fill = () -> {
            pane.setText("Memories used (" + m.memories().size() + ")");
            links.getChildren().setAll(m.memories().stream().map(r -> {
                Hyperlink l = new Hyperlink(r.text());
                l.getStyleClass().add("memory-link");
                l.setWrapText(true);
                l.setDisable(r.id().isEmpty());
                l.setOnAction(e -> r.id().ifPresent(openMemory));
                return (Node) l;
            }).toList());
        };
        m.memories().addListener((ListChangeListener<MemoryRef>) c -> fill.run());
        fill.run();
        pane.visibleProperty().bind(Bindings.isNotEmpty(m.memories()));
        pane.managedProperty().bind(pane.visibleProperty());
        return pane;
    }

    /** "Edit": the message becomes a text field; "Resend" replaces it (and what follows) and answers again. */
    private HBox editRow(MessageItem m, VBox bubble, VBox body) {
        Button edit = Ui.button("Edit", Feather.EDIT_2, "Edit and resend this message");
        edit.getStyleClass().addAll(Styles.FLAT, Styles.SMALL, "edit-message");
        edit.disableProperty().bind(vm.busyProperty());
        HBox row = new HBox(Ui.S, edit);
        edit.setOnAction(e -> {
            TextArea text = new TextArea(m.text());
            text.getStyleClass().add("edit-text");
            text.setWrapText(true);
            text.setPrefRowCount(3);
            Button resend = Ui.accent(Ui.button("Resend", Feather.SEND, "Replace the message and answer again"));
            resend.getStyleClass().add("resend");
            resend.setDefaultButton(false);
            resend.disableProperty().bind(vm.busyProperty());
            resend.setOnAction(a -> vm.editAndResend(m, text.getText()));
            Button cancel = Ui.button("Cancel", Feather.X, "Keep the message as it was");
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
            if (empty || c == null) { setText(null); setGraphic(null); setContextMenu(null); return; }
            setText(c.title());
            setGraphic(c.pinned() ? Ui.icon(Feather.STAR) : null);
            MenuItem rename = new MenuItem("Rename…", Ui.icon(Feather.EDIT_2));
            rename.setOnAction(e -> {
                TextInputDialog d = new TextInputDialog(c.title());
                d.setHeaderText("Rename conversation");
                d.showAndWait().ifPresent(t -> vm.rename(c, t));
            });
            MenuItem pin = new MenuItem(c.pinned() ? "Unpin" : "Pin to the top", Ui.icon(Feather.STAR));
            pin.setOnAction(e -> vm.togglePin(c));
            MenuItem delete = new MenuItem("Delete", Ui.icon(Feather.TRASH_2));
            delete.setOnAction(e -> vm.delete(c));
            setContextMenu(new ContextMenu(rename, pin, delete));
        }
    }
}
