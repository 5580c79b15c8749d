package dev.canopy.ui.settings;

import atlantafx.base.theme.Styles;
import dev.canopy.app.settings.WorkerCheck;
import dev.canopy.ui.common.Ui;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;

/** Settings, "Other computers"; binds to {@link OtherComputersViewModel}. */
public final class OtherComputersPane extends VBox {
    private final VBox rows = new VBox(Ui.XS);
    private final VBox results = new VBox(Ui.XS);

    public OtherComputersPane(OtherComputersViewModel vm) {
        super(Ui.S);
        setId("other-computers");
        Label title = new Label("Other computers");
        title.getStyleClass().add(Styles.TITLE_4);
        Label about = Ui.muted("Computers running `canopy worker` take a share of the model's layers, by their free memory,"
                + " so a model larger than this computer's memory can run. Trusted networks or SSH tunnels only: the connection"
                + " has no password or encryption. Saved with the settings; the model reloads over them at the next answer.");
        about.setWrapText(true);
        TextField address = new TextField();
        address.setId("worker-address");
        address.setPromptText("host:port, e.g. 192.168.1.20:50052");
        address.setPrefColumnCount(22);
        address.textProperty().bindBidirectional(vm.newWorker);
        address.setOnAction(e -> vm.add());
        Button add = Ui.button("Add", Feather.PLUS, "Add this computer to the list");
        add.setId("add-worker");
        add.setOnAction(e -> vm.add());
        Button check = Ui.button("Check", Feather.ACTIVITY, "Ask each computer whether it can take layers");
        check.setId("check-workers");
        check.setOnAction(e -> vm.check());
        Button cancel = Ui.button("Cancel", Feather.X, "Stop checking");
        cancel.setId("cancel-worker-check");
        cancel.setOnAction(e -> vm.cancelCheck());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(18, 18);
        var checking = vm.state.isEqualTo(OtherComputersViewModel.CheckState.CHECKING);
        busy.visibleProperty().bind(checking);
        cancel.visibleProperty().bind(checking);
        cancel.managedProperty().bind(checking);
        check.disableProperty().bind(checking);
        Label message = Ui.muted("");
        message.setId("workers-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.message);
        HBox addRow = new HBox(Ui.S, address, add, check, cancel, busy);
        addRow.setAlignment(Pos.CENTER_LEFT);
        rows.setId("workers");
        results.setId("worker-results");
        vm.workers.addListener((ListChangeListener<String>) c -> showRows(vm));
        vm.results.addListener((ListChangeListener<WorkerCheck.Result>) c -> showResults(vm));
        showRows(vm);
        getChildren().addAll(title, about, rows, addRow, results, message);
    }

    private void showRows(OtherComputersViewModel vm) {
        rows.getChildren().clear();
        if (vm.workers.isEmpty()) {
            rows.getChildren().add(Ui.muted("None: models run on this computer only."));
            return;
        }
        for (String w : vm.workers) {
            Label name = new Label(w);
            Button remove = Ui.iconButton(Feather.TRASH_2, "Remove " + w);
            remove.getStyleClass().add(Styles.SMALL);
            remove.setOnAction(e -> vm.remove(w));
            HBox row = new HBox(Ui.S, Ui.icon(Feather.MONITOR), name, remove);
            row.setAlignment(Pos.CENTER_LEFT);
            rows.getChildren().add(row);
        }
    }

    private void showResults(OtherComputersViewModel vm) {
        results.getChildren().clear();
        for (WorkerCheck.Result r : vm.results) {
            boolean ok = r.outcome() == WorkerCheck.Outcome.READY;
            Label l = new Label(r.message(), Ui.icon(ok ? Feather.CHECK_CIRCLE : Feather.X_CIRCLE));
            l.setWrapText(true);
            l.getStyleClass().add(ok ? Styles.SUCCESS : Styles.DANGER);
            results.getChildren().add(l);
        }
    }
}
