package dev.canopy.ui.settings;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/** Settings, "Local API server"; binds to {@link ApiServerViewModel}. */
public final class ApiServerPane extends VBox {
    public ApiServerPane(ApiServerViewModel vm) {
        super(8);
        setId("api-server");
        Label title = new Label("Local API server");
        title.getStyleClass().add("title-4");
        Label about = new Label("OpenAI- and Anthropic-compatible API on this computer (127.0.0.1) for editors, agents and scripts.");
        about.getStyleClass().add("footer");
        about.setWrapText(true);
        CheckBox on = new CheckBox("Serve the model over the local API");
        on.setId("api-enabled");
        on.selectedProperty().bindBidirectional(vm.enabled);
        TextField port = new TextField();
        port.setId("api-port");
        port.setPrefColumnCount(6);
        port.textProperty().bindBidirectional(vm.port);
        TextField key = new TextField();
        key.setId("api-key");
        key.setPrefColumnCount(30);
        key.setPromptText("no key: any program on this computer may use it");
        key.textProperty().bindBidirectional(vm.key);
        Button generate = new Button("Generate key");
        generate.setOnAction(e -> vm.generateKey());
        Button copy = new Button("Copy key");
        copy.disableProperty().bind(vm.key.isEmpty());
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(vm.key.get());
            Clipboard.getSystemClipboard().setContent(c);
        });
        Button apply = new Button("Apply");
        apply.setId("api-apply");
        apply.disableProperty().bind(vm.busy);
        apply.setOnAction(e -> vm.apply());
        Label status = new Label();
        status.setId("api-status");
        status.setWrapText(true);
        status.textProperty().bind(vm.status);
        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(8);
        g.addRow(0, new Label("Port"), port);
        g.addRow(1, new Label("API key"), new HBox(8, key, generate, copy));
        getChildren().addAll(title, about, on, g, new HBox(8, apply), status);
        Timeline poll = new Timeline(new KeyFrame(Duration.seconds(2), e -> { if (!vm.busy.get()) vm.refresh(); }));
        poll.setCycleCount(Timeline.INDEFINITE);
        sceneProperty().addListener((o, was, now) -> { if (now != null) poll.play(); else poll.stop(); });
    }
}
