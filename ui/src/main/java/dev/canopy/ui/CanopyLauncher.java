package dev.canopy.ui;

import dev.canopy.app.cli.CanopyCli;

import java.util.Locale;
import java.util.Map;

/**
 * The single entry point of the installed app and of {@code ./canopy}: no arguments opens the
 * desktop window, anything else is a command-line invocation.
 *
 * <p>This class deliberately does not extend {@code javafx.application.Application}, so that the
 * CLI path never initialises the JavaFX toolkit (it works on headless machines).
 */
public final class CanopyLauncher {
    private CanopyLauncher() {}

    /** The exit code when there is no display to open the window on (the CLI's code for a user error). */
    static final int NO_DISPLAY = 2;

    public static void main(String[] args) {
        if (args.length == 0) {
            System.exit(openWindow(System.getenv()));
        } else {
            System.exit(CanopyCli.run(args));
        }
    }

    /**
     * Opens the desktop window, or says in one line why it cannot: on Linux without a display
     * (an SSH session, a server) JavaFX would throw "Unable to open DISPLAY" with a stack trace.
     */
    static int openWindow(Map<String, String> env) {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        if (linux && blank(env.get("DISPLAY")) && blank(env.get("WAYLAND_DISPLAY"))) {
            return noDisplay("DISPLAY and WAYLAND_DISPLAY are not set");
        }
        try {
            CanopyDesktop.launchWindow();
            return 0;
        } catch (UnsupportedOperationException e) {        // glass: "Unable to open DISPLAY"
            return noDisplay(e.getMessage());
        }
    }

    private static int noDisplay(String why) {
        System.err.println("canopy: no display to open the desktop app on (" + why + "). Start it from a desktop session,"
                + " or use the command line: canopy --help");
        return NO_DISPLAY;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
