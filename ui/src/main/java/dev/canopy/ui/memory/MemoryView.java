package dev.canopy.ui.memory;

import dev.canopy.app.memories.MemoryFact;
import dev.canopy.app.memories.MemoryNode;
import dev.canopy.app.memories.MemoryTree;
import dev.canopy.app.memories.SourceMessage;
import javafx.collections.ListChangeListener;
import atlantafx.base.theme.Styles;
import dev.canopy.ui.common.Ui;
import javafx.geometry.Insets;
import atlantafx.base.controls.ToggleSwitch;
import org.kordamp.ikonli.feather.Feather;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The memory browser; binds to {@link MemoryViewModel}. */
public final class MemoryView extends VBox {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneId.systemDefault());

    public MemoryView(MemoryViewModel vm) {
        super(Ui.M);
        setPadding(new Insets(Ui.L));
        Label title = Ui.title("Memory");
        Label where = Ui.muted(vm.description());
        ToggleSwitch on = new ToggleSwitch("Remember things from chats and use them in answers");
        on.setId("memory-enabled");
        on.selectedProperty().bindBidirectional(vm.enabledProperty());
        TextField filter = Ui.searchField("Find memories");
        filter.setId("memory-search");
        filter.textProperty().bindBidirectional(vm.filterProperty());

        ListView<MemoryFact> facts = new ListView<>(vm.timeline());
        facts.setId("facts");
        facts.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(MemoryFact f, boolean empty) {
                super.updateItem(f, empty);
                setText(empty || f == null ? null : DAY.format(f.time()) + "  " + oneLine(f.text()));
                setPrefWidth(0);   // long facts end in "…" instead of widening the list
            }
        });
        facts.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> { if (b != vm.selectedProperty().get()) vm.select(b); });
        vm.selectedProperty().addListener((o, a, b) -> {
            if (b != null && facts.getSelectionModel().getSelectedItem() != b) {
                facts.getSelectionModel().select(b);
                facts.scrollTo(b);
            }
        });
        Button edit = Ui.button("Edit…", Feather.EDIT_2, "Change what this memory says");
        edit.setId("edit-fact");
        Button delete = Ui.button("Delete", Feather.TRASH_2, "Forget this memory");
        delete.setId("delete-fact");
        delete.getStyleClass().add(Styles.DANGER);
        Button forget = Ui.button("Forget its conversation", Feather.X_SQUARE, "Forget every memory learned from its conversation");
        edit.disableProperty().bind(facts.getSelectionModel().selectedItemProperty().isNull());
        delete.disableProperty().bind(edit.disableProperty());
        forget.disableProperty().bind(edit.disableProperty());
        edit.setOnAction(e -> {
            MemoryFact f = facts.getSelectionModel().getSelectedItem();
            TextInputDialog d = new TextInputDialog(f.text());
            d.setHeaderText("Edit memory");
            d.showAndWait().ifPresent(t -> vm.edit(f, t));
        });
        delete.setOnAction(e -> vm.delete(facts.getSelectionModel().getSelectedItem()));
        forget.setOnAction(e -> facts.getSelectionModel().getSelectedItem().conversationId().ifPresent(vm::forgetConversation));
        Label sources = Ui.muted("");
        sources.setId("fact-sources");
        vm.sources().addListener((ListChangeListener<SourceMessage>) c -> sources.setText(vm.sources().isEmpty() ? ""
                : "From \"" + vm.sources().getFirst().conversationTitle() + "\": "
                + String.join(" / ", vm.sources().stream().map(SourceMessage::text).toList())));
        VBox timeline = new VBox(Ui.S, new HBox(Ui.S, edit, delete, forget), facts, sources);
        timeline.setPadding(new Insets(Ui.S, 0, 0, 0));
        VBox.setVgrow(facts, Priority.ALWAYS);

        TreeView<String> trees = new TreeView<>(new TreeItem<>("Forest"));
        trees.setShowRoot(false);
        vm.forest().addListener((ListChangeListener<MemoryTree>) c -> fill(trees, vm));
        fill(trees, vm);

        Tab timelineTab = new Tab("Timeline", timeline);
        timelineTab.setGraphic(Ui.icon(Feather.CLOCK));
        Tab treesTab = new Tab("Trees", trees);
        treesTab.setGraphic(Ui.icon(Feather.GIT_MERGE));
        TabPane tabs = new TabPane(timelineTab, treesTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        Label msg = new Label();
        msg.setId("memory-message");
        msg.textProperty().bind(vm.messageProperty());
        Button undo = Ui.button("Undo", Feather.ROTATE_CCW, "Bring the deleted memory back");
        undo.setId("undo-delete");
        undo.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
        undo.setOnAction(e -> vm.undoDelete());
        undo.visibleProperty().bind(vm.canUndoProperty());
        undo.managedProperty().bind(undo.visibleProperty());
        HBox status = new HBox(Ui.S, msg, undo);
        status.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        getChildren().addAll(title, where, on, filter, tabs, status);
    }

    /** A fact on one line of the list (a remembered answer may hold a table or code); the sources show it whole. */
    static String oneLine(String text) {
        String s = text.replaceAll("[|`#*]+", " ").replaceAll("\\s+", " ").strip();
        return s.length() > 180 ? s.substring(0, 179) + "…" : s;
    }

    private static void fill(TreeView<String> view, MemoryViewModel vm) {
        view.getRoot().getChildren().clear();
        for (MemoryTree t : vm.forest()) {
            TreeItem<String> item = node(t.root());
            item.setValue(kind(t.kind()) + ": " + t.title() + " (" + DAY.format(t.root().start()) + " – "
                    + DAY.format(t.root().end()) + ")");
            view.getRoot().getChildren().add(item);
        }
    }

    private static String kind(dev.canopy.memory.forest.TreeKind k) {
        return switch (k) {
            case SESSION -> "Conversation";
            case ENTITY -> "About";
            case SCENE -> "Topic";
        };
    }

    private static TreeItem<String> node(MemoryNode n) {
        TreeItem<String> item = new TreeItem<>(n.summary().isBlank() ? DAY.format(n.start()) : n.summary());
        for (MemoryNode c : n.children()) item.getChildren().add(node(c));
        for (MemoryFact f : n.facts()) item.getChildren().add(new TreeItem<>(f.text()));
        return item;
    }
}
