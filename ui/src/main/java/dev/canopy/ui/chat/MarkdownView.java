package dev.canopy.ui.chat;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.commonmark.node.Block;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.text.TextContentRenderer;

import java.util.ArrayList;
import java.util.List;

/**
 * A message's markdown as JavaFX nodes: paragraphs and lists as wrapped text, headings in bold,
 * code blocks in a monospace box with a Copy button. Kept small on purpose (no WebView).
 */
final class MarkdownView {
    private static final Parser PARSER = Parser.builder().build();
    private static final TextContentRenderer TEXT = TextContentRenderer.builder().build();

    private MarkdownView() {}

    static VBox render(String markdown) {
        VBox box = new VBox(6);
        for (Node n : nodes(markdown)) box.getChildren().add(n);
        return box;
    }

    private static List<Node> nodes(String markdown) {
        List<Node> out = new ArrayList<>();
        org.commonmark.node.Node doc = PARSER.parse(markdown == null ? "" : markdown);
        for (org.commonmark.node.Node b = doc.getFirstChild(); b != null; b = b.getNext()) {
            if (b instanceof FencedCodeBlock f) out.add(code(f.getLiteral()));
            else if (b instanceof IndentedCodeBlock i) out.add(code(i.getLiteral()));
            else if (b instanceof Heading h) out.add(text(TEXT.render(h).strip(), "md-heading"));
            else if (b instanceof Block) out.add(text(TEXT.render(b).strip(), "md-text"));
        }
        return out;
    }

    private static Label text(String s, String style) {
        Label l = new Label(s);
        l.setWrapText(true);
        l.getStyleClass().add(style);
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }

    private static Node code(String literal) {
        String code = literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
        Label l = text(code, "md-code");
        Button copy = new Button("Copy");
        copy.getStyleClass().add("md-copy");
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(code);
            Clipboard.getSystemClipboard().setContent(c);
            copy.setText("Copied");
        });
        HBox.setHgrow(l, Priority.ALWAYS);
        l.setMaxWidth(Double.MAX_VALUE);
        HBox row = new HBox(8, l, copy);
        row.getStyleClass().add("md-code-box");
        return row;
    }
}
