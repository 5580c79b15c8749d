package dev.canopy.ui.common;

import atlantafx.base.theme.Styles;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.HBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The window's building blocks: one spacing scale, icon buttons with a tooltip (and the shortcut,
 * when there is one), and the few label styles every view uses (AtlantaFX {@link Styles}).
 */
public final class Ui {
    /** The spacing scale (px): everything is spaced by one of these. */
    public static final double XS = 4, S = 8, M = 12, L = 16, XL = 24;

    private Ui() {}

    public static FontIcon icon(Ikon ikon) {
        FontIcon i = new FontIcon(ikon);
        i.getStyleClass().add(Styles.FONT_ICON);
        return i;
    }

    /** A button with text and an icon; {@code tip} is its tooltip (say the shortcut there). */
    public static Button button(String text, Ikon ikon, String tip) {
        Button b = new Button(text, icon(ikon));
        b.setMinWidth(Region.USE_PREF_SIZE);   // a narrow window shrinks the space around, never a button's words
        if (tip != null && !tip.isBlank()) b.setTooltip(new Tooltip(tip));
        return b;
    }

    /** An icon-only, flat button; {@code label} is read out and shown as its tooltip. */
    public static Button iconButton(Ikon ikon, String label) {
        Button b = new Button(null, icon(ikon));
        b.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        b.setTooltip(new Tooltip(label));
        b.setAccessibleText(label);
        return b;
    }

    /** The accent (main) action of a view. */
    public static Button accent(Button b) {
        b.getStyleClass().add(Styles.ACCENT);
        return b;
    }

    public static Label title(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.TITLE_3);
        return l;
    }

    /** Secondary text: hints, figures, captions. */
    public static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        l.setWrapText(true);
        return l;
    }

    /** An error line that takes no room while empty. */
    public static Label error(javafx.beans.value.ObservableValue<String> text) {
        Label l = new Label();
        l.getStyleClass().add(Styles.DANGER);
        l.setWrapText(true);
        l.textProperty().bind(text);
        hideWhenEmpty(l);
        return l;
    }

    public static void hideWhenEmpty(Label l) {
        l.visibleProperty().bind(l.textProperty().isNotEmpty());
        l.managedProperty().bind(l.visibleProperty());
    }

    /**
     * A search field with a search icon and a clear button (AtlantaFX {@code CustomTextField}, which
     * follows the light and dark theme).
     */
    public static atlantafx.base.controls.CustomTextField searchField(String prompt) {
        var f = new atlantafx.base.controls.CustomTextField();
        f.setPromptText(prompt);
        f.setLeft(icon(org.kordamp.ikonli.feather.Feather.SEARCH));
        Button clear = iconButton(org.kordamp.ikonli.feather.Feather.X, "Clear the search");
        clear.getStyleClass().addAll(Styles.SMALL, Styles.ROUNDED, "clear-search");
        clear.setFocusTraversable(false);
        clear.setOnAction(e -> { f.clear(); f.requestFocus(); });
        clear.visibleProperty().bind(f.textProperty().isNotEmpty());
        f.setRight(clear);
        return f;
    }

    public static Region grow() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }
}
