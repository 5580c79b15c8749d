package dev.canopy.ui.models;

import dev.canopy.app.models.ModelEntry;
import atlantafx.base.theme.Styles;
import dev.canopy.ui.common.Ui;
import javafx.geometry.Insets;
import org.kordamp.ikonli.feather.Feather;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.control.TextField;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

import java.io.File;

/**
 * Local models: import (button, typed path or drag-and-drop), scan a folder, download, metadata and
 * memory need, which one chats. Binds to {@link ModelsViewModel}.
 */
public final class ModelsView extends VBox {
    public ModelsView(ModelsViewModel vm) {
        super(Ui.M);
        setPadding(new Insets(Ui.L));
        Label title = Ui.title("Models");
        Label hint = Ui.muted("GGUF files on this computer: import one, drop it here, type its path, scan a folder or download one. "
                + "The selected model answers in Chat.");
        hint.setWrapText(true);
        Button importButton = Ui.button("Import GGUF…", Feather.FILE_PLUS, "Import a .gguf file");
        importButton.setId("import-model");
        importButton.disableProperty().bind(vm.busyProperty());
        importButton.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Import a GGUF model");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("GGUF models", "*.gguf"));
            File f = fc.showOpenDialog(getScene().getWindow());
            if (f != null) vm.importFile(f.toPath());
        });
        Button scan = Ui.button("Scan a folder…", Feather.FOLDER, "Find the .gguf files in a folder");
        scan.setId("scan-folder");
        scan.disableProperty().bind(vm.busyProperty());
        scan.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Find GGUF models in a folder");
            if (java.nio.file.Files.isDirectory(vm.modelsFolder())) dc.setInitialDirectory(vm.modelsFolder().toFile());
            File d = dc.showDialog(getScene().getWindow());
            if (d != null) vm.scanFolder(d.toPath());
        });
        Button stopScan = Ui.button("Stop scanning", Feather.X_CIRCLE, "Stop after the file being read");
        stopScan.visibleProperty().bind(vm.scanningProperty());
        stopScan.managedProperty().bind(stopScan.visibleProperty());
        stopScan.setOnAction(e -> vm.cancelScan());
        TextField source = new TextField();
        source.setId("model-source");
        source.setPromptText("Path of a .gguf file or a folder, or a Hugging Face link to a .gguf file");
        source.textProperty().bindBidirectional(vm.sourceProperty());
        source.setOnAction(e -> vm.addTyped());
        HBox.setHgrow(source, Priority.ALWAYS);
        Button add = Ui.accent(Ui.button("Add", Feather.PLUS, "Add the typed file, folder or link (Enter)"));
        add.setId("add-model");
        add.disableProperty().bind(vm.busyProperty());
        add.setOnAction(e -> vm.addTyped());
        Label error = new Label();
        error.setId("models-error");
        error.getStyleClass().add(Styles.DANGER);
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        Label message = new Label();
        message.setId("models-message");
        message.textProperty().bind(vm.messageProperty());
        for (Label l : new Label[] {error, message}) { // take no room while empty
            l.visibleProperty().bind(l.textProperty().isNotEmpty());
            l.managedProperty().bind(l.visibleProperty());
        }

        ListView<ModelEntry> list = new ListView<>(vm.entries());
        list.setId("models");
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(ModelEntry e, boolean empty) {
                super.updateItem(e, empty);
                if (empty || e == null) { setGraphic(null); setText(null); return; }
                boolean isActive = e.file().toString().equals(vm.activeProperty().get());
                Label name = new Label((isActive ? "● " : "") + e.displayName());
                name.getStyleClass().addAll("model-name", Styles.TEXT_BOLD);
                Label meta = new Label(ModelsViewModel.describe(e));
                meta.getStyleClass().add("model-meta");
                Label need = new Label(vm.memoryNeed(e));
                need.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED, "model-need");
                Button use = Ui.button(isActive ? "In use" : "Use for chat", isActive ? Feather.CHECK : Feather.MESSAGE_SQUARE,
                        "The model that answers in Chat");
                if (!isActive) use.getStyleClass().add(Styles.ACCENT);
                use.setDisable(isActive || !e.usable());
                use.setOnAction(a -> vm.use(e));
                Button remove = Ui.button("Remove from list", Feather.TRASH_2, "Forget this file (it stays on disk)");
                remove.setOnAction(a -> vm.remove(e));
                Region grow = new Region();
                HBox.setHgrow(grow, Priority.ALWAYS);
                HBox row = new HBox(Ui.M, new VBox(2, name, meta, need), grow, use, remove);
                row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
                setGraphic(row);
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
        getChildren().addAll(title, hint, new HBox(Ui.S, importButton, scan, stopScan), new HBox(Ui.S, source, add), error, message,
                new DownloadPane(vm.downloads()), list);
    }
}
