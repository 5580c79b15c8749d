package dev.canopy.ui.documents;

import dev.canopy.app.summarize.SummaryStyle;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.io.File;

/** Documents: pick or drop a file, choose a style, summarize with progress and cancel, export. Binds to {@link DocumentsViewModel}. */
public final class DocumentsView extends VBox {
    public DocumentsView(DocumentsViewModel vm) {
        super(10);
        setPadding(new Insets(16));
        Label title = new Label("Documents");
        title.getStyleClass().add("title-2");
        Label file = new Label("Drop a PDF, Word, HTML, Markdown or text file here, or choose one.");
        vm.fileProperty().addListener((o, a, b) -> file.setText(b == null ? "" : b.toString()));
        Button choose = new Button("Choose…");
        choose.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Documents", "*.pdf", "*.docx", "*.html", "*.htm", "*.md", "*.txt"));
            File f = fc.showOpenDialog(getScene().getWindow());
            if (f != null) vm.fileProperty().set(f.toPath());
        });
        ChoiceBox<SummaryStyle> style = new ChoiceBox<>();
        style.getItems().setAll(SummaryStyle.values());
        style.valueProperty().bindBidirectional(vm.styleProperty());
        TextField instruction = new TextField();
        instruction.setPromptText("Your instruction (custom style)");
        instruction.textProperty().bindBidirectional(vm.instructionProperty());
        instruction.visibleProperty().bind(vm.styleProperty().isEqualTo(SummaryStyle.CUSTOM));
        HBox.setHgrow(instruction, Priority.ALWAYS);
        Button run = new Button("Summarize");
        run.setId("summarize");
        run.disableProperty().bind(vm.busyProperty());
        run.setOnAction(e -> vm.summarize());
        Button cancel = new Button("Cancel");
        cancel.disableProperty().bind(vm.busyProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        Button export = new Button("Export Markdown…");
        export.disableProperty().bind(vm.resultProperty().isEmpty());
        Label status = new Label();
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());
        export.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setInitialFileName("summary.md");
            File f = fc.showSaveDialog(getScene().getWindow());
            if (f != null) vm.export(f.toPath()).ifPresent(err -> status.textProperty().unbind());
        });
        ProgressBar bar = new ProgressBar();
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(vm.progressProperty());
        TextArea result = new TextArea();
        result.setEditable(false);
        result.setWrapText(true);
        result.textProperty().bind(vm.resultProperty());
        VBox.setVgrow(result, Priority.ALWAYS);
        setOnDragOver(e -> { if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY); e.consume(); });
        setOnDragDropped(e -> {
            if (!e.getDragboard().getFiles().isEmpty()) vm.fileProperty().set(e.getDragboard().getFiles().getFirst().toPath());
            e.setDropCompleted(true);
            e.consume();
        });
        getChildren().addAll(title, new HBox(8, choose, file), new HBox(8, style, instruction), new HBox(8, run, cancel, export),
                bar, status, result);
    }
}
