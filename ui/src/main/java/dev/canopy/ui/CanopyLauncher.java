package dev.canopy.ui;

import dev.canopy.app.cli.CanopyCli;

/**
 * The single entry point of the installed app and of {@code ./canopy}: no arguments opens the
 * desktop window, anything else is a command-line invocation.
 *
 * <p>This class deliberately does not extend {@code javafx.application.Application}, so that the
 * CLI path never initialises the JavaFX toolkit (it works on headless machines).
 */
public final class CanopyLauncher {
    private CanopyLauncher() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            CanopyDesktop.launchWindow();
        } else {
            System.exit(CanopyCli.run(args));
        }
    }
}
