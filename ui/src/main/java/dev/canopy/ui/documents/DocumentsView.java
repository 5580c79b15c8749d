package dev.canopy.ui.documents;

import atlantafx.base.theme.Styles;
import dev.canopy.app.summarize.SummaryStyle;
import dev.canopy.ui.chat.MarkdownView;
import dev.canopy.ui.common.Labels;
import dev.canopy.ui.common.PassagePane;
import dev.canopy.ui.common.Ui;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;

import java.io.File;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Summaries of long documents: choose or drop one, pick a style, follow the progress part by part
 * with the time left, cancel (Summarize again resumes), read the summary with its page citations,
 * and reopen earlier summaries. Binds to {@link DocumentsViewModel}.
 */
public final class DocumentsView extends SplitPane {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy").withZone(ZoneId.systemDefault());

    public DocumentsView(DocumentsViewModel vm) {
        getItems().addAll(history(vm), main(vm));
        setDividerPositions(0.26);
        sceneProperty().addListener((o, a, b) -> { if (b != null) vm.loadHistory(); });
    }

    private static VBox history(DocumentsViewModel vm) {
        Label title = new Label("Earlier summaries");
        title.getStyleClass().add(Styles.TITLE_4);
        ListView<DocumentsViewModel.PastSummary> list = new ListView<>(vm.history());
        list.setId("summaries");
        list.setPlaceholder(Ui.muted("Summaries you make are kept here."));
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(DocumentsViewModel.PastSummary p, boolean empty) {
                super.updateItem(p, empty);
                if (empty || p == null) { setText(null); setGraphic(null); return; }
                Label name = new Label(p.title());
                name.getStyleClass().add(Styles.TEXT_BOLD);
                setGraphic(new VBox(2, name, Ui.muted(p.style() + " · " + DAY.format(p.when()))));
                setText(null);
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.show(b));
        // Nothing shown yet: the newest summary opens, so the view never starts empty when there are some.
        vm.history().addListener((javafx.collections.ListChangeListener<DocumentsViewModel.PastSummary>) c -> {
            if (list.getSelectionModel().isEmpty() && vm.resultProperty().get().isBlank() && !vm.history().isEmpty()) {
                list.getSelectionModel().selectFirst();
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        VBox box = new VBox(Ui.S, title, list);
        box.setPadding(new Insets(Ui.M));
        box.setMinWidth(200);
        return box;
    }

    private VBox main(DocumentsViewModel vm) {
        Label title = Ui.title("Documents");
        Label file = Ui.muted("Drop a PDF, Word, HTML, Markdown or text file here, or choose one.");
        file.setId("document-file");
        vm.fileProperty().addListener((o, a, b) -> file.setText(b == null ? "" : b.toString()));
        Button choose = Ui.button("Choose…", Feather.FOLDER, "Choose a document");
        choose.setId("choose-document");
        choose.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Documents", "*.pdf", "*.docx", "*.html", "*.htm", "*.md", "*.txt"));
            File f = fc.showOpenDialog(getScene().getWindow());
            if (f != null) vm.fileProperty().set(f.toPath());
        });
        ChoiceBox<SummaryStyle> style = new ChoiceBox<>();
        style.setId("summary-style");
        style.getItems().setAll(SummaryStyle.values());
        style.setConverter(Labels.converter(x -> Labels.sentence(x.label())));
        style.valueProperty().bindBidirectional(vm.styleProperty());
        TextField instruction = new TextField();
        instruction.setPromptText("Your instruction (custom style)");
        instruction.textProperty().bindBidirectional(vm.instructionProperty());
        instruction.visibleProperty().bind(vm.styleProperty().isEqualTo(SummaryStyle.CUSTOM));
        HBox.setHgrow(instruction, Priority.ALWAYS);
        Button run = Ui.accent(Ui.button("Summarize", Feather.ZAP, "Summarize the document (resumes a cancelled run)"));
        run.setId("summarize");
        run.disableProperty().bind(vm.busyProperty());
        run.setOnAction(e -> vm.summarize());
        Button cancel = Ui.button("Cancel", Feather.X_CIRCLE, "Stop; finished parts are kept and Summarize resumes");
        cancel.setId("cancel-summary");
        cancel.disableProperty().bind(vm.busyProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        Button export = Ui.button("Export Markdown…", Feather.DOWNLOAD, "Save the summary as a Markdown file");
        export.disableProperty().bind(vm.resultProperty().isEmpty());
        Label status = new Label();
        status.setId("summary-status");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());
        export.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setInitialFileName("summary.md");
            File f = fc.showSaveDialog(getScene().getWindow());
            if (f != null) vm.export(f.toPath()).ifPresent(err -> status.textProperty().unbind());
        });
        ProgressBar bar = new ProgressBar();
        bar.setId("summary-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(vm.progressProperty());
        bar.visibleProperty().bind(vm.busyProperty());
        bar.managedProperty().bind(bar.visibleProperty());
        VBox summary = MarkdownView.render(vm.resultProperty().get(), vm::openCitation);
        summary.setId("summary");
        summary.setPadding(new Insets(Ui.M));
        vm.resultProperty().addListener((o, a, b) -> MarkdownView.update(summary, b));
        ScrollPane result = new ScrollPane(summary);
        result.setFitToWidth(true);
        VBox.setVgrow(result, Priority.ALWAYS);
        HBox pick = new HBox(Ui.S, choose, file);
        pick.setAlignment(Pos.CENTER_LEFT);
        HBox options = new HBox(Ui.S, new Label("Style"), style, instruction);
        options.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(Ui.M, title, pick, options, new HBox(Ui.S, run, cancel, export), bar, status, result, PassagePane.of(vm.passageProperty(), "", 220));
        box.setPadding(new Insets(Ui.L));
        box.setOnDragOver(e -> { if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY); e.consume(); });
        box.setOnDragDropped(e -> {
            if (!e.getDragboard().getFiles().isEmpty()) vm.fileProperty().set(e.getDragboard().getFiles().getFirst().toPath());
            e.setDropCompleted(true);
            e.consume();
        });
        return box;
    }
}
