package dev.canopy.ui;

import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextInputControl;
import javafx.scene.layout.Pane;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Drives the real desktop window (CanopyDesktop over a data folder) with TestFX: launch, look up
 * nodes, read what a message bubble shows, and wait for the UI to reach a state. Every read of the
 * scene graph happens on the FX thread; waits poll with a generous limit (loaded 2-core CI).
 */
final class DesktopDriver {
    static final long WAIT_SECONDS = 90;

    final FxRobot robot = new FxRobot();
    private Application app;

    /** Opens the window over {@code home}, as the installed app would over the user's folder. */
    void launch(Path home) throws TimeoutException {
        FxToolkit.registerPrimaryStage();
        app = FxToolkit.setupApplication(() -> new CanopyDesktop(home));
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Waits for any answer to finish, then closes the window and the app's services. */
    void close() throws TimeoutException {
        if (app == null) return;
        try {
            waitUntil("no answer is being written", () -> robot.lookup("#stop").tryQueryAs(Button.class)
                    .map(Button::isDisabled).orElse(true));
        } finally {
            FxToolkit.cleanupStages();
            FxToolkit.cleanupApplication(app);
            app = null;
        }
    }

    /** Runs {@code c} on the FX thread and returns its result. */
    static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not read the UI state", e);
        }
    }

    /** Polls {@code condition} (on the FX thread) until it holds; fails with {@code what} after the limit. */
    void waitUntil(String what, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> fx(condition));
        } catch (TimeoutException e) {
            throw new AssertionError("Timed out after " + WAIT_SECONDS + " s waiting until " + what);
        }
    }

    /** The node {@code query} finds (a CSS selector such as {@code #send}). */
    <T extends Node> T lookup(String query, Class<T> type) {
        return robot.lookup(query).queryAs(type);
    }

    <T extends Node> List<T> all(String query, Class<T> type) {
        return List.copyOf(robot.lookup(query).queryAllAs(type));
    }

    String text(String query) {
        return fx(() -> ((Labeled) lookup(query, Labeled.class)).getText());
    }

    /** The message bubbles in the open conversation, in order (call on the FX thread). */
    List<Bubble> bubbles() {
        Pane box = (Pane) lookup("#messages", javafx.scene.control.ScrollPane.class).getContent();
        return box.getChildren().stream().filter(n -> n.getStyleClass().contains("bubble")).map(Bubble::of).toList();
    }

    /**
     * One message as shown.
     *
     * @param user   whether it is the user's
     * @param text   the visible text of its body
     * @param footer statistics line (an answer's)
     */
    record Bubble(boolean user, String text, String footer) {
        static Bubble of(Node n) {
            Pane p = (Pane) n;
            Node body = p.getChildren().get(1); // the rendered text, or the text field while it is being edited
            String text = body instanceof TextInputControl t ? t.getText() : body.lookupAll(".label").stream()
                    .map(l -> ((Label) l).getText()).filter(t -> t != null).collect(Collectors.joining("\n"));
            String footer = Optional.ofNullable(((Label) p.getChildren().get(2)).getText()).orElse("");
            return new Bubble(n.getStyleClass().contains("bubble-user"), text, footer);
        }
    }
}
