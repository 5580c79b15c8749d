package dev.canopy.natives;

import java.util.Locale;

/**
 * An operating system and processor pair, named the way the native folders are named:
 * {@code linux-x64}, {@code linux-arm64}, {@code mac-arm64}, {@code mac-x64}, {@code win-x64}.
 *
 * @param os   {@code linux}, {@code mac} or {@code win} (or the raw {@code os.name} when unknown)
 * @param arch {@code x64} or {@code arm64} (or the raw {@code os.arch} when unknown)
 */
public record Platform(String os, String arch) {

    /** The platform this JVM runs on. */
    public static Platform current() {
        return of(System.getProperty("os.name", "?"), System.getProperty("os.arch", "?"));
    }

    /** Maps Java's {@code os.name} / {@code os.arch} values to a platform. */
    public static Platform of(String osName, String osArch) {
        String n = osName.toLowerCase(Locale.ROOT);
        String os = n.startsWith("linux") ? "linux"
                : n.startsWith("mac") || n.startsWith("darwin") ? "mac"
                : n.startsWith("windows") ? "win"
                : n.replace(' ', '_');
        String a = osArch.toLowerCase(Locale.ROOT);
        String arch = switch (a) {
            case "amd64", "x86_64", "x64" -> "x64";
            case "aarch64", "arm64" -> "arm64";
            default -> a;
        };
        return new Platform(os, arch);
    }

    /** The folder name under {@code natives/}, for example {@code linux-x64}. */
    public String id() {
        return os + "-" + arch;
    }

    /** The file name a shared library called {@code name} has on this platform. */
    public String sharedLibraryFileName(String name) {
        return switch (os) {
            case "win" -> name + ".dll";
            case "mac" -> "lib" + name + ".dylib";
            default -> "lib" + name + ".so";
        };
    }

    @Override
    public String toString() {
        return id();
    }
}
