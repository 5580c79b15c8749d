package dev.canopy.ui.chat;

import atlantafx.base.theme.Styles;
import dev.canopy.ui.common.Ui;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;

/** The bar above the chat: the model that answers, its loading state and details, then {@code trailing} at the right. */
final class ModelBarView {
    private ModelBarView() {}

    static HBox of(ModelBarViewModel bar, Node... trailing) {
        ComboBox<ModelBarViewModel.Choice> model = new ComboBox<>(bar.choices());
        model.setId("model-switcher");
        model.setPromptText("No model");
        model.valueProperty().bindBidirectional(bar.selectedProperty());
        model.setTooltip(new Tooltip("The model that answers (Models adds more)"));
        model.setMinWidth(Region.USE_PREF_SIZE);
        model.setMaxWidth(260);
        ProgressBar loading = new ProgressBar(ProgressBar.INDETERMINATE_PROGRESS);
        loading.setId("model-loading");
        loading.setPrefWidth(80);
        loading.getStyleClass().add(Styles.SMALL);
        loading.visibleProperty().bind(bar.loadingProperty());
        loading.managedProperty().bind(loading.visibleProperty());
        Label state = new Label();
        state.setId("model-state");
        state.getStyleClass().add(Styles.TEXT_SMALL);
        state.textProperty().bind(bar.loadStateProperty());
        Label details = new Label();
        details.setId("model-details");
        details.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        details.textProperty().bind(bar.detailsProperty());
        Tooltip detailsTip = new Tooltip();
        detailsTip.textProperty().bind(bar.detailsProperty());
        details.setTooltip(detailsTip);
        details.setMinWidth(40);   // the first to give way in a narrow window (the tooltip keeps it whole)
        Label error = Ui.error(bar.errorProperty());
        HBox row = new HBox(Ui.S, Ui.icon(Feather.CPU), model, loading, state, details, error, Ui.grow());
        row.getChildren().addAll(trailing);
        row.setId("model-bar");
        row.setAlignment(Pos.CENTER_LEFT);
        row.setPadding(new Insets(Ui.S, Ui.M, Ui.S, Ui.M));
        row.getStyleClass().add("model-bar");
        return row;
    }
}
