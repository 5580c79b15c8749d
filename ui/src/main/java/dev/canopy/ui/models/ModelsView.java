package dev.canopy.ui.models;

import dev.canopy.app.models.ModelEntry;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.io.File;

/** Local models: import (button or drag-and-drop), metadata, which one chats. Binds to {@link ModelsViewModel}. */
public final class ModelsView extends VBox {
    public ModelsView(ModelsViewModel vm) {
        super(10);
        setPadding(new Insets(16));
        Label title = new Label("Models");
        title.getStyleClass().add("title-2");
        Label hint = new Label("GGUF files on this computer. Import one, or drop it here; the selected model answers in Chat.");
        hint.setWrapText(true);
        Button importButton = new Button("Import GGUF…");
        importButton.setId("import-model");
        importButton.disableProperty().bind(vm.busyProperty());
        importButton.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Import a GGUF model");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("GGUF models", "*.gguf"));
            File f = fc.showOpenDialog(getScene().getWindow());
            if (f != null) vm.importFile(f.toPath());
        });
        Label error = new Label();
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());

        ListView<ModelEntry> list = new ListView<>(vm.entries());
        list.setId("models");
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(ModelEntry e, boolean empty) {
                super.updateItem(e, empty);
                if (empty || e == null) { setGraphic(null); setText(null); return; }
                boolean isActive = e.file().toString().equals(vm.activeProperty().get());
                Label name = new Label((isActive ? "● " : "") + e.displayName());
                name.getStyleClass().add("model-name");
                Label meta = new Label(ModelsViewModel.describe(e));
                Button use = new Button(isActive ? "In use" : "Use for chat");
                use.setDisable(isActive || !e.usable());
                use.setOnAction(a -> vm.use(e));
                Button remove = new Button("Remove from list");
                remove.setOnAction(a -> vm.remove(e));
                Region grow = new Region();
                HBox.setHgrow(grow, Priority.ALWAYS);
                setGraphic(new HBox(10, new VBox(2, name, meta), grow, use, remove));
                setText(null);
            }
        });
        vm.activeProperty().addListener((o, a, b) -> list.refresh());
        VBox.setVgrow(list, Priority.ALWAYS);
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        });
        setOnDragDropped(e -> {
            e.getDragboard().getFiles().forEach(f -> vm.importFile(f.toPath()));
            e.setDropCompleted(true);
            e.consume();
        });
        getChildren().addAll(title, hint, importButton, error, list);
    }
}
