package dev.canopy.tools.cli;

import dev.canopy.ui.CanopyLauncher;

/**
 * The entry point of {@code ./canopy} in a checkout: no arguments opens the desktop window (as the
 * installed app's {@link CanopyLauncher} does), anything else is the command line with the tools'
 * commands ({@link ToolsCli}). The installers package the product only (ui's launcher).
 */
public final class ToolsLauncher {
    private ToolsLauncher() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            CanopyLauncher.main(args);
        } else {
            System.exit(ToolsCli.run(args));
        }
    }
}
