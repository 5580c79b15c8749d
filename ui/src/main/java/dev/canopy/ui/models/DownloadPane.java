package dev.canopy.ui.models;

import dev.canopy.app.models.CuratedModel;
import atlantafx.base.theme.Styles;
import dev.canopy.ui.common.Ui;
import javafx.geometry.Insets;
import org.kordamp.ikonli.feather.Feather;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The curated list, download progress and Cancel. Binds to {@link DownloadViewModel}. */
final class DownloadPane extends VBox {
    DownloadPane(DownloadViewModel vm) {
        super(Ui.XS);
        setPadding(new Insets(Ui.S, 0, Ui.S, 0));
        Label title = new Label("Download a small model");
        title.getStyleClass().add(Styles.TITLE_4);
        ComboBox<CuratedModel> curated = new ComboBox<>(vm.curated());
        curated.setId("curated-models");
        curated.setPromptText("Choose a suggested model");
        curated.setMaxWidth(Double.MAX_VALUE);
        curated.setCellFactory(v -> new CuratedCell(true));
        curated.setButtonCell(new CuratedCell(false));
        HBox.setHgrow(curated, Priority.ALWAYS);
        Button download = Ui.button("Download", Feather.DOWNLOAD, "Download the chosen model (sha256-checked)");
        download.setId("download-curated");
        download.disableProperty().bind(vm.busyProperty().or(curated.valueProperty().isNull()));
        download.setOnAction(e -> vm.download(curated.getValue()));
        Button cancel = Ui.button("Cancel download", Feather.X_CIRCLE, "Stop; starting it again resumes");
        cancel.setId("cancel-download");
        cancel.disableProperty().bind(vm.busyProperty().not());
        cancel.setOnAction(e -> vm.cancel());

        ProgressBar progress = new ProgressBar();
        progress.setId("download-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(vm.progressProperty());
        progress.visibleProperty().bind(vm.busyProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        Label status = new Label();
        status.setId("download-status");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());
        status.visibleProperty().bind(vm.statusProperty().isNotEmpty());
        status.managedProperty().bind(status.visibleProperty());
        Label error = new Label();
        error.setId("download-error");
        error.getStyleClass().add(Styles.DANGER);
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        getChildren().addAll(title, new HBox(Ui.S, curated, download, cancel), progress, status, error);
    }

    private static final class CuratedCell extends ListCell<CuratedModel> {
        private final boolean long_;

        CuratedCell(boolean longText) { this.long_ = longText; }

        @Override
        protected void updateItem(CuratedModel m, boolean empty) {
            super.updateItem(m, empty);
            if (empty || m == null) { setText(null); return; }
            String head = m.title() + " · " + ModelsViewModel.size(m.approxBytes());
            setText(long_ ? head + " — " + m.description() : head);
        }
    }
}
