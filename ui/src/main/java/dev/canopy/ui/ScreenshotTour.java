package dev.canopy.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.util.Duration;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * With {@code -Dcanopy.screenshots=DIR} the desktop app visits every section in light and dark mode,
 * saves {@code DIR/<section>-<theme>.png} from the real window and exits (scripts/screenshots.sh
 * runs it under Xvfb, or headless on Monocle through {@code ScreenshotsTest}).
 */
final class ScreenshotTour {
    static final List<String> SECTIONS = List.of("CHAT", "DOCUMENTS", "MODELS", "MEMORY", "SETTINGS");

    private ScreenshotTour() {}

    static void run(Scene scene, Path dir, List<String> sections) {
        run(scene, dir, sections, Platform::exit);
    }

    /** Visits and saves every section in both themes, then runs {@code done} (on the FX thread). */
    static void run(Scene scene, Path dir, List<String> sections, Runnable done) {
        Deque<Runnable> steps = new ArrayDeque<>();
        for (String theme : List.of("light", "dark")) {
            steps.add(() -> Application.setUserAgentStylesheet(theme.equals("dark")
                    ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet()));
            for (String s : sections) {
                steps.add(() -> ((ToggleButton) scene.lookup("#nav-" + s.toLowerCase(java.util.Locale.ROOT))).fire());
                steps.add(() -> prepare(scene, s));
                steps.add(() -> save(scene.snapshot(null), dir.resolve(s.toLowerCase(java.util.Locale.ROOT) + "-" + theme + ".png")));
            }
        }
        steps.add(done);
        next(steps);
    }

    /** What each picture shows beyond the view itself: the chat from its question, a citation opened, no stray focus ring. */
    private static void prepare(Scene scene, String section) {
        scene.getRoot().requestFocus();
        switch (section) {
            case "CHAT" -> {
                if (scene.lookup("#messages") instanceof ScrollPane messages) messages.setVvalue(0);
            }
            case "DOCUMENTS" -> {
                if (scene.lookup("#summary .citation") instanceof Hyperlink cite) cite.fire();
            }
            default -> { }
        }
    }

    private static void next(Deque<Runnable> steps) {
        if (steps.isEmpty()) return;
        PauseTransition wait = new PauseTransition(Duration.millis(400));
        wait.setOnFinished(e -> {
            steps.poll().run();
            next(steps);
        });
        wait.play();
    }

    private static void save(WritableImage img, Path file) {
        int w = (int) img.getWidth(), h = (int) img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        PixelReader px = img.getPixelReader();
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) out.setRGB(x, y, px.getArgb(x, y));
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(out, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
