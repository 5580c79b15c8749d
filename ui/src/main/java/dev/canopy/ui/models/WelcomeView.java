package dev.canopy.ui.models;

import atlantafx.base.theme.Styles;
import dev.canopy.app.models.CuratedModel;
import dev.canopy.app.models.MemoryFit;
import dev.canopy.ui.common.Ui;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;

/**
 * First run, no model yet: what Canopy is in two lines, the suggested downloads with their size and
 * whether each fits this computer, and a way to add a model already on disk. A finished download
 * becomes the chat model, and the chat takes this page's place. Binds to {@link ModelsViewModel}.
 */
public final class WelcomeView extends ScrollPane {
    public WelcomeView(ModelsViewModel vm, Runnable openModels) {
        setId("welcome");
        setFitToWidth(true);
        Label title = new Label("Welcome to Canopy", Ui.icon(Feather.FEATHER));
        title.getStyleClass().add(Styles.TITLE_1);
        Label what = new Label("Canopy runs a language model on this computer: chat, summarize long documents and keep a "
                + "memory of what you told it. Nothing leaves your machine.");
        Label edge = new Label("It stays fast when things get long: long prompts are read in fixed chunks, a long chat "
                + "reopens without being read again, and the memory it used is shown under each answer.");
        for (Label l : new Label[] {what, edge}) { l.setWrapText(true); l.getStyleClass().add(Styles.TEXT_MUTED); }
        Label pick = new Label("Pick a model to start");
        pick.getStyleClass().add(Styles.TITLE_4);
        VBox cards = new VBox(Ui.S);
        DownloadViewModel downloads = vm.downloads();
        for (CuratedModel m : downloads.curated()) cards.getChildren().add(card(m, vm, downloads));

        ProgressBar progress = new ProgressBar();
        progress.setId("welcome-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(downloads.progressProperty());
        progress.visibleProperty().bind(downloads.busyProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        Label status = new Label();
        status.setWrapText(true);
        status.textProperty().bind(downloads.statusProperty());
        Ui.hideWhenEmpty(status);
        Button cancel = Ui.button("Cancel download", Feather.X_CIRCLE, "Stop; starting it again resumes");
        cancel.visibleProperty().bind(downloads.busyProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        cancel.setOnAction(e -> downloads.cancel());
        Button own = Ui.button("Add a model you already have…", Feather.FOLDER, "Import a .gguf file, type its path or scan a folder");
        own.setId("welcome-open-models");
        own.setOnAction(e -> openModels.run());
        VBox box = new VBox(Ui.M, title, what, edge, own, pick, progress, new HBox(Ui.S, status, cancel),
                Ui.error(downloads.errorProperty()), cards);
        box.setPadding(new Insets(Ui.XL));
        box.setMaxWidth(760);
        VBox outer = new VBox(box);
        outer.setAlignment(Pos.TOP_CENTER);
        setContent(outer);
    }

    private static HBox card(CuratedModel m, ModelsViewModel vm, DownloadViewModel downloads) {
        Label name = new Label(m.title());
        name.getStyleClass().add(Styles.TEXT_BOLD);
        Label about = Ui.muted(m.description());
        MemoryFit fit = vm.fit(m);
        Label size = new Label(ModelsViewModel.size(m.approxBytes()) + " · " + ModelsViewModel.fitText(fit),
                Ui.icon(fit == MemoryFit.FITS ? Feather.CHECK_CIRCLE : Feather.ALERT_TRIANGLE));
        size.getStyleClass().addAll(Styles.TEXT_SMALL, fit == MemoryFit.FITS ? Styles.SUCCESS
                : fit == MemoryFit.TIGHT ? Styles.WARNING : Styles.DANGER);
        Button get = Ui.button("Download", Feather.DOWNLOAD, "Download " + m.title() + " and start chatting");
        get.getStyleClass().add(fit == MemoryFit.FITS ? Styles.ACCENT : Styles.BUTTON_OUTLINED);
        get.disableProperty().bind(downloads.busyProperty());
        get.setOnAction(e -> downloads.download(m));
        VBox text = new VBox(Ui.XS, name, about, size);
        HBox card = new HBox(Ui.M, text, Ui.grow(), get);
        card.setAlignment(Pos.CENTER_LEFT);
        card.getStyleClass().add("card");
        return card;
    }
}
