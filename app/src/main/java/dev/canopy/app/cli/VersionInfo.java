package dev.canopy.app.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version strings from the build (Maven-filtered {@code version.properties}). */
public final class VersionInfo implements CommandLine.IVersionProvider {

    /** Canopy's version, for example {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return props().getProperty("version", "unknown");
    }

    /** The llama.cpp release the native libraries come from. */
    public static String llamaRelease() {
        return props().getProperty("llama.release", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "Canopy " + version(),
            "llama.cpp " + llamaRelease() + ", Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"
        };
    }

    private static Properties props() {
        Properties p = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream("/dev/canopy/app/version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // Fall back to "unknown".
        }
        return p;
    }
}
