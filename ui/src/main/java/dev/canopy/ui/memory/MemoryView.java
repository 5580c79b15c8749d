package dev.canopy.ui.memory;

import dev.canopy.app.memories.MemoryFact;
import dev.canopy.app.memories.MemoryNode;
import dev.canopy.app.memories.MemoryTree;
import dev.canopy.app.memories.SourceMessage;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
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
        super(10);
        setPadding(new Insets(16));
        Label title = new Label("Memory");
        title.getStyleClass().add("title-2");
        Label where = new Label(vm.description());
        where.getStyleClass().add("footer");
        CheckBox on = new CheckBox("Remember things from chats and use them in answers");
        on.setId("memory-enabled");
        on.selectedProperty().bindBidirectional(vm.enabledProperty());
        TextField filter = new TextField();
        filter.setPromptText("Find memories");
        filter.textProperty().bindBidirectional(vm.filterProperty());

        ListView<MemoryFact> facts = new ListView<>(vm.timeline());
        facts.setId("facts");
        facts.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(MemoryFact f, boolean empty) {
                super.updateItem(f, empty);
                setText(empty || f == null ? null : DAY.format(f.time()) + "  " + f.text());
            }
        });
        facts.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.select(b));
        Button edit = new Button("Edit…");
        Button delete = new Button("Delete");
        delete.setId("delete-fact");
        Button forget = new Button("Forget its conversation");
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
        forget.setOnAction(e -> vm.forgetConversation(facts.getSelectionModel().getSelectedItem().conversationId()));
        Label sources = new Label();
        sources.setWrapText(true);
        vm.sources().addListener((ListChangeListener<SourceMessage>) c -> sources.setText(vm.sources().isEmpty() ? ""
                : "From \"" + vm.sources().getFirst().conversationTitle() + "\": "
                + String.join(" / ", vm.sources().stream().map(SourceMessage::text).toList())));
        VBox timeline = new VBox(8, new HBox(8, edit, delete, forget), facts, sources);
        VBox.setVgrow(facts, Priority.ALWAYS);

        TreeView<String> trees = new TreeView<>(new TreeItem<>("Forest"));
        trees.setShowRoot(false);
        vm.forest().addListener((ListChangeListener<MemoryTree>) c -> fill(trees, vm));
        fill(trees, vm);

        TabPane tabs = new TabPane(new Tab("Timeline", timeline), new Tab("Trees", trees));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        Label msg = new Label();
        msg.setId("memory-message");
        msg.textProperty().bind(vm.messageProperty());
        getChildren().addAll(title, where, on, filter, tabs, msg);
    }

    private static void fill(TreeView<String> view, MemoryViewModel vm) {
        view.getRoot().getChildren().clear();
        for (MemoryTree t : vm.forest()) {
            TreeItem<String> item = node(t.root());
            item.setValue(t.kind().name().toLowerCase() + ": " + t.title() + " (" + DAY.format(t.root().start()) + " – "
                    + DAY.format(t.root().end()) + ")");
            view.getRoot().getChildren().add(item);
        }
    }

    private static TreeItem<String> node(MemoryNode n) {
        TreeItem<String> item = new TreeItem<>(n.summary().isBlank() ? DAY.format(n.start()) : n.summary());
        for (MemoryNode c : n.children()) item.getChildren().add(node(c));
        for (MemoryFact f : n.facts()) item.getChildren().add(new TreeItem<>(f.text()));
        return item;
    }
}
