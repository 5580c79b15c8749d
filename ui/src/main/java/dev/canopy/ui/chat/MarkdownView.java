package dev.canopy.ui.chat;

import atlantafx.base.theme.Styles;
import dev.canopy.ui.common.Ui;
import javafx.scene.Node;
import dev.canopy.app.summarize.Citations;
import dev.canopy.app.summarize.SourceSpan;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Block;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.text.TextContentRenderer;
import org.kordamp.ikonli.feather.Feather;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message's markdown as JavaFX nodes: paragraphs and lists as wrapped text, headings, GFM tables
 * as a grid, code blocks in a monospace box with simple syntax colouring and a Copy button. Kept
 * small on purpose (no WebView). {@link #update} re-renders only the blocks that changed, so a
 * streamed answer costs one block per frame, not the whole answer.
 */
public final class MarkdownView {
    private static final Parser PARSER = Parser.builder().extensions(List.of(TablesExtension.create())).build();
    private static final TextContentRenderer TEXT = TextContentRenderer.builder().build();
    private static final String KEYS = "markdown-keys";
    private static final String LINKS = "markdown-citation-links";
    /** Keywords of the usual languages, strings, comments and numbers: enough colour to read code by. */
    private static final Pattern TOKENS = Pattern.compile(
            "(?<comment>//[^\\n]*|#(?![a-zA-Z0-9_]*\\()[^\\n]*|/\\*[\\s\\S]*?\\*/|--[^\\n]*)"
            + "|(?<string>\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*')"
            + "|(?<number>\\b\\d+(?:\\.\\d+)?\\b)"
            + "|(?<keyword>\\b(?:abstract|and|as|async|await|break|case|catch|class|const|continue|def|default|do|elif|else"
            + "|enum|export|extends|false|final|finally|fn|for|from|func|function|if|implements|import|in|interface|is|let"
            + "|match|mut|new|nil|None|not|null|or|package|private|protected|public|pub|record|return|SELECT|FROM|WHERE"
            + "|self|static|struct|super|switch|this|throw|throws|true|True|False|try|type|use|val|var|void|while|with"
            + "|yield)\\b)");

    private record Piece(String key, Supplier<Node> node) {}

    private MarkdownView() {}

    public static VBox render(String markdown) {
        VBox box = new VBox(Ui.S);
        update(box, markdown);
        return box;
    }

    /**
     * Like {@link #render(String)}, and every citation ({@code [p. 3]}, {@code [lines 3–8]}, {@code [§ 2]}) in
     * the text becomes a link that calls {@code onCitation} with the places it names.
     */
    public static VBox render(String markdown, Consumer<SourceSpan> onCitation) {
        VBox box = new VBox(Ui.S);
        box.getProperties().put(LINKS, onCitation);
        update(box, markdown);
        return box;
    }

    /** Shows {@code markdown} in {@code box}, keeping the nodes of the blocks that did not change. */
    public static void update(VBox box, String markdown) {
        @SuppressWarnings("unchecked")
        Consumer<SourceSpan> links = (Consumer<SourceSpan>) box.getProperties().get(LINKS);
        List<Piece> pieces = pieces(markdown, links);
        @SuppressWarnings("unchecked")
        List<String> old = (List<String>) box.getProperties().getOrDefault(KEYS, List.of());
        int same = 0;
        while (same < old.size() && same < pieces.size() && old.get(same).equals(pieces.get(same).key())
                && same < box.getChildren().size()) same++;
        box.getChildren().remove(same, box.getChildren().size());
        // each block remembers its height, so a streamed answer measures only its changed last block again
        for (Piece p : pieces.subList(same, pieces.size())) box.getChildren().add(new SettledBox(0, p.node().get()));
        box.getProperties().put(KEYS, pieces.stream().map(Piece::key).toList());
    }

    public static void copy(String text) {
        ClipboardContent c = new ClipboardContent();
        c.putString(text);
        Clipboard.getSystemClipboard().setContent(c);
    }

    private static List<Piece> pieces(String markdown, Consumer<SourceSpan> links) {
        List<Piece> out = new ArrayList<>();
        org.commonmark.node.Node doc = PARSER.parse(markdown == null ? "" : markdown);
        for (org.commonmark.node.Node b = doc.getFirstChild(); b != null; b = b.getNext()) {
            if (b instanceof FencedCodeBlock f) {
                String code = f.getLiteral(), lang = f.getInfo() == null ? "" : f.getInfo().strip();
                out.add(new Piece("code:" + lang + ":" + code, () -> code(code, lang)));
            } else if (b instanceof IndentedCodeBlock i) {
                String code = i.getLiteral();
                out.add(new Piece("code::" + code, () -> code(code, "")));
            } else if (b instanceof Heading h) {
                String t = TEXT.render(h).strip();
                out.add(new Piece("h:" + t, () -> text(t, Styles.TITLE_4)));
            } else if (b instanceof TableBlock t) {
                List<List<String>> rows = rows(t);
                out.add(new Piece("table:" + rows, () -> table(rows, headerRows(t))));
            } else if (b instanceof Block) {
                String t = TEXT.render(b).strip();
                List<Citations.Found> cites = links == null ? List.of() : Citations.find(t);
                out.add(new Piece("p:" + t, cites.isEmpty() ? () -> text(t, "md-text") : () -> linked(t, cites, links)));
            }
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

    /** Text whose citations are links (a summary's statements). */
    private static TextFlow linked(String s, List<Citations.Found> cites, Consumer<SourceSpan> open) {
        TextFlow flow = new TextFlow();
        flow.getStyleClass().addAll("md-text", "md-cited");
        int at = 0;
        for (Citations.Found c : cites) {
            if (c.start() > at) flow.getChildren().add(plain(s.substring(at, c.start())));
            Hyperlink link = new Hyperlink(s.substring(c.start(), c.end()));
            link.getStyleClass().add("citation");
            link.setTooltip(new javafx.scene.control.Tooltip("Show this passage of the document"));
            link.setOnAction(e -> open.accept(c.span()));
            flow.getChildren().add(link);
            at = c.end();
        }
        if (at < s.length()) flow.getChildren().add(plain(s.substring(at)));
        return flow;
    }

    private static Text plain(String s) {
        Text t = new Text(s);
        t.getStyleClass().add("md-run");
        return t;
    }

    private static List<List<String>> rows(TableBlock t) {
        List<List<String>> rows = new ArrayList<>();
        for (org.commonmark.node.Node part = t.getFirstChild(); part != null; part = part.getNext()) {
            for (org.commonmark.node.Node row = part.getFirstChild(); row != null; row = row.getNext()) {
                List<String> cells = new ArrayList<>();
                for (org.commonmark.node.Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
                    if (cell instanceof TableCell) cells.add(cellText(cell));
                }
                rows.add(cells);
            }
        }
        return rows;
    }

    /** A cell's text: its inline children rendered one by one (the text renderer skips the table extension's nodes). */
    private static String cellText(org.commonmark.node.Node cell) {
        StringBuilder b = new StringBuilder();
        for (org.commonmark.node.Node n = cell.getFirstChild(); n != null; n = n.getNext()) b.append(TEXT.render(n));
        return b.toString().strip();
    }

    private static int headerRows(TableBlock t) {
        int n = 0;
        for (org.commonmark.node.Node part = t.getFirstChild(); part != null; part = part.getNext()) {
            if (part instanceof TableHead) for (org.commonmark.node.Node r = part.getFirstChild(); r != null; r = r.getNext()) n++;
        }
        return n;
    }

    private static Node table(List<List<String>> rows, int header) {
        GridPane g = new GridPane();
        g.getStyleClass().add("md-table");
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        for (int c = 0; c < cols; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setHgrow(Priority.SOMETIMES);
            g.getColumnConstraints().add(cc);
        }
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < rows.get(r).size(); c++) {
                Label cell = text(rows.get(r).get(c), "md-cell");
                cell.setWrapText(false);                      // a wrapping label in a grid column gets no width at all
                cell.setMinWidth(Region.USE_PREF_SIZE);
                if (r < header) cell.getStyleClass().addAll("md-cell-head", Styles.TEXT_BOLD);
                else if (r % 2 == 0) cell.getStyleClass().add("md-cell-even");
                cell.setMaxWidth(Double.MAX_VALUE);
                cell.setMaxHeight(Double.MAX_VALUE);
                g.add(cell, c, r);
            }
        }
        return g;
    }

    private static Node code(String literal, String lang) {
        String code = literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
        TextFlow flow = highlighted(code);
        flow.getStyleClass().add("md-code");
        Button copy = Ui.iconButton(Feather.COPY, "Copy the code");
        copy.getStyleClass().addAll(Styles.SMALL, "md-copy");
        copy.setOnAction(e -> {
            copy(code);
            copy.setGraphic(Ui.icon(Feather.CHECK));
        });
        Label language = new Label(lang.isEmpty() ? "code" : lang);
        language.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        HBox top = new HBox(Ui.S, language, Ui.grow(), copy);
        top.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        VBox box = new VBox(Ui.XS, top, new StackPane(flow));
        box.getStyleClass().add("md-code-box");
        return box;
    }

    /** {@code code} as text runs coloured by kind (keyword, string, comment, number). */
    static TextFlow highlighted(String code) {
        TextFlow flow = new TextFlow();
        Matcher m = TOKENS.matcher(code);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) flow.getChildren().add(run(code.substring(at, m.start()), "code-plain"));
            String kind = m.group("comment") != null ? "code-comment" : m.group("string") != null ? "code-string"
                    : m.group("number") != null ? "code-number" : "code-keyword";
            flow.getChildren().add(run(m.group(), kind));
            at = m.end();
        }
        if (at < code.length()) flow.getChildren().add(run(code.substring(at), "code-plain"));
        return flow;
    }

    private static Text run(String s, String kind) {
        Text t = new Text(s);
        t.getStyleClass().addAll("code-text", kind);
        return t;
    }
}
