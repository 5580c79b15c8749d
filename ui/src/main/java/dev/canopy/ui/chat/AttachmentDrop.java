package dev.canopy.ui.chat;

import dev.canopy.app.chat.AttachedDocument;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;

import java.io.File;

/** Dropping a document on the chat attaches it to the next message; the chip shows it and can remove it. */
final class AttachmentDrop {
    private AttachmentDrop() {}

    /** Accepts file drops on {@code target}: the first file goes to {@link ChatViewModel#attach}. */
    static void install(Node target, ChatViewModel vm) {
        target.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        });
        target.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty();
            if (ok) {
                File f = e.getDragboard().getFiles().getFirst();
                vm.attach(f.toPath());
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    /** "📎 name (first part)" with a remove button; hidden while nothing is attached. */
    static HBox chip(ChatViewModel vm) {
        Label name = new Label();
        name.setId("attachment");
        Button remove = dev.canopy.ui.common.Ui.button("Remove", org.kordamp.ikonli.feather.Feather.X, "Do not send this attachment");
        remove.setOnAction(e -> vm.attachmentProperty().set(null));
        name.setGraphic(dev.canopy.ui.common.Ui.icon(org.kordamp.ikonli.feather.Feather.PAPERCLIP));
        HBox chip = new HBox(dev.canopy.ui.common.Ui.S, name, remove);
        chip.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        vm.attachmentProperty().addListener((o, was, d) -> name.setText(describe(d)));
        chip.visibleProperty().bind(vm.attachmentProperty().isNotNull());
        chip.managedProperty().bind(chip.visibleProperty());
        return chip;
    }

    static String describe(AttachedDocument d) {
        if (d == null) return "";
        return d.name() + (d.truncated() ? " (the first part: the rest does not fit)" : "")
                + " — the next message asks about it";
    }
}
