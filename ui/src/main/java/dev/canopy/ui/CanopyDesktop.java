package dev.canopy.ui;

import javafx.application.Application;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/** The desktop application (a placeholder window until the UI issue lands its views). */
public final class CanopyDesktop extends Application {

    static void launchWindow() {
        Application.launch(CanopyDesktop.class);
    }

    @Override
    public void start(Stage stage) {
        Label title = new Label("Canopy");
        title.setStyle("-fx-font-size: 28px; -fx-font-weight: bold;");
        Label hint = new Label("Private, on-device chat and document summaries.\n"
                + "The desktop views are on their way; meanwhile try ./canopy --help for the command line.");
        hint.setWrapText(true);
        VBox root = new VBox(12, title, hint);
        root.setAlignment(Pos.CENTER);
        root.setPadding(new Insets(32));
        stage.setTitle("Canopy");
        stage.setScene(new Scene(root, 720, 480));
        stage.show();
    }
}
