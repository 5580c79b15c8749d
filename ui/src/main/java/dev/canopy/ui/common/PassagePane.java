package dev.canopy.ui.common;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;

/** The passage a clicked citation points at: its place, its text and a Close button; hidden while there is none. */
public final class PassagePane {
    private PassagePane() {}

    /**
     * A pane that follows {@code passage} (Close sets it to null). Its nodes' ids are {@code idPrefix}
     * followed by "passage", "passage-title" and "passage-text".
     */
    public static VBox of(ObjectProperty<Passage> passage, String idPrefix, double maxTextHeight) {
        Label where = new Label("", Ui.icon(Feather.BOOK_OPEN));
        where.setId(idPrefix + "passage-title");
        where.getStyleClass().add(Styles.TEXT_BOLD);
        Button close = Ui.iconButton(Feather.X, "Close the passage");
        close.setOnAction(e -> passage.set(null));
        Label text = new Label();
        text.setId(idPrefix + "passage-text");
        text.setWrapText(true);
        text.setMinHeight(Region.USE_PREF_SIZE);
        ScrollPane scroll = new ScrollPane(text);
        scroll.setFitToWidth(true);
        scroll.setMaxHeight(maxTextHeight);
        scroll.getStyleClass().add(Tweaks.EDGE_TO_EDGE);
        HBox top = new HBox(Ui.S, where, Ui.grow(), close);
        top.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(Ui.S, top, scroll);
        box.setId(idPrefix + "passage");
        box.getStyleClass().add("passage");
        passage.addListener((o, a, p) -> {
            where.setText(p == null ? "" : p.title());
            text.setText(p == null ? "" : p.text());
            scroll.setVvalue(0);
        });
        box.visibleProperty().bind(passage.isNotNull());
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }
}
